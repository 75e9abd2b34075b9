/**
 * Zod schemas for the LTI 1.3 claims Waymark reads, and the claim names. Parse once here, then
 * trust the types. Schemas are lenient where real platforms differ (extra keys are ignored,
 * custom values are coerced to strings, `accept_multiple` may arrive as "true") and strict where
 * the spec is (types of ids, URLs).
 */
import { z } from 'zod';

/** Claim names (LTI Core 1.3 §5, Deep Linking 2.0 §4.4, AGS 2.0 §3.1, NRPS 2.0 §3.6). */
export const Claim = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  roleScopeMentor: 'https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  forUser: 'https://purl.imsglobal.org/spec/lti/claim/for_user',
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  deepLinkingContentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  deepLinkingMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  deepLinkingLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/log',
  deepLinkingErrorMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg',
  deepLinkingErrorLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/errorlog',
} as const;

/** The only LTI version this tool speaks (LTI Core 1.3 §5.3.2). */
export const LTI_VERSION = '1.3.0';

/** Message types Waymark accepts at its launch endpoint. */
export const MessageType = z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest', 'LtiSubmissionReviewRequest']);
/** The parsed value of the `MessageType` schema. */
export type MessageType = z.infer<typeof MessageType>;

const Url = z.url({ protocol: /^https?$/ });
const OptionalText = z.string().optional();

/** `resource_link` claim (required for LtiResourceLinkRequest: `id`). */
export const ResourceLinkClaim = z.object({
  id: z.string().min(1).max(255),
  title: OptionalText,
  description: OptionalText,
});
/** The parsed value of the `ResourceLinkClaim` schema. */
export type ResourceLinkClaim = z.infer<typeof ResourceLinkClaim>;

/** `context` claim. `type` holds full URIs or short names such as `CourseSection`. */
export const ContextClaim = z.object({
  id: z.string().min(1).max(255),
  label: OptionalText,
  title: OptionalText,
  type: z.array(z.string()).optional(),
});
/** The parsed value of the `ContextClaim` schema. */
export type ContextClaim = z.infer<typeof ContextClaim>;

/** `roles` claim: an array of role URIs or short names; may be empty (LTI Core §5.3.7). */
export const RolesClaim = z.array(z.string());

/** `role_scope_mentor`: the user ids (subs) a mentor may see. */
export const RoleScopeMentorClaim = z.array(z.string());

/** `tool_platform` claim. */
export const ToolPlatformClaim = z.object({
  guid: z.string().max(255).optional(),
  name: OptionalText,
  contact_email: OptionalText,
  description: OptionalText,
  url: OptionalText,
  product_family_code: OptionalText,
  version: OptionalText,
});
/** The parsed value of the `ToolPlatformClaim` schema. */
export type ToolPlatformClaim = z.infer<typeof ToolPlatformClaim>;

/** `launch_presentation` claim. */
export const LaunchPresentationClaim = z.object({
  document_target: z.enum(['frame', 'iframe', 'window']).or(z.string()).optional(),
  height: z.number().optional(),
  width: z.number().optional(),
  return_url: OptionalText,
  locale: OptionalText,
});
/** The parsed value of the `LaunchPresentationClaim` schema. */
export type LaunchPresentationClaim = z.infer<typeof LaunchPresentationClaim>;

/** `lis` claim (SIS ids). */
export const LisClaim = z.object({
  person_sourcedid: OptionalText,
  course_offering_sourcedid: OptionalText,
  course_section_sourcedid: OptionalText,
});
/** The parsed value of the `LisClaim` schema. */
export type LisClaim = z.infer<typeof LisClaim>;

/**
 * `custom` claim. The spec says string values; Canvas and Blackboard send numbers and booleans for
 * some substitutions, so primitives are coerced to strings and other values are dropped.
 */
export const CustomClaim = z.record(z.string(), z.unknown()).transform((raw) => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
});

/** AGS endpoint claim (AGS 2.0 §3.1). */
export const AgsEndpointClaim = z.object({
  scope: z.array(z.string()),
  lineitems: Url.optional(),
  lineitem: Url.optional(),
});
/** The parsed value of the `AgsEndpointClaim` schema. */
export type AgsEndpointClaim = z.infer<typeof AgsEndpointClaim>;

/** NRPS claim (NRPS 2.0 §3.6). */
export const NrpsClaim = z.object({
  context_memberships_url: Url,
  service_versions: z.array(z.string()).optional(),
});
/** The parsed value of the `NrpsClaim` schema. */
export type NrpsClaim = z.infer<typeof NrpsClaim>;

const LooseBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** Deep linking settings (Deep Linking 2.0 §4.4.1). `deep_link_return_url` and `accept_types` are required. */
export const DeepLinkingSettingsClaim = z.object({
  deep_link_return_url: Url,
  accept_types: z.array(z.string()).min(1),
  accept_presentation_document_targets: z.array(z.string()).default([]),
  accept_media_types: OptionalText,
  accept_multiple: LooseBoolean.optional(),
  accept_lineitem: LooseBoolean.optional(),
  auto_create: LooseBoolean.optional(),
  title: OptionalText,
  text: OptionalText,
  data: OptionalText,
});
/** The parsed value of the `DeepLinkingSettingsClaim` schema. */
export type DeepLinkingSettingsClaim = z.infer<typeof DeepLinkingSettingsClaim>;

/** `for_user` claim of LtiSubmissionReviewRequest. */
export const ForUserClaim = z.object({
  user_id: z.string().min(1),
  person_sourcedid: OptionalText,
  given_name: OptionalText,
  family_name: OptionalText,
  name: OptionalText,
  email: OptionalText,
  roles: z.array(z.string()).optional(),
});
/** The parsed value of the `ForUserClaim` schema. */
export type ForUserClaim = z.infer<typeof ForUserClaim>;

/** OIDC identity claims. All optional: platforms send none of them for anonymous or privacy-restricted launches. */
export const IdentityClaims = z.object({
  sub: z.string().min(1).max(255).optional(),
  name: OptionalText,
  given_name: OptionalText,
  family_name: OptionalText,
  middle_name: OptionalText,
  email: OptionalText,
  picture: OptionalText,
  locale: OptionalText,
});
