/** Operator commands for the statements Waymark generates: `npm run admin -- xapi identifiable --school <id> --on|--off`. */
import { z } from 'zod';
import type { Command } from '../../cli/commands.js';
import { SchoolId } from '../../contract/schools.js';
import { AppError, notFound } from '../../errors.js';
import { parse } from '../../http/validate.js';
import type { Models } from '../../db/models.js';

/**
 * Turns names in the school's xAPI statements on or off (people's names, class titles). Statements already stored
 * keep what they had; new ones follow the setting.
 * @throws AppError 404 for an unknown school.
 */
export async function setXapiIdentifiable(
  models: Models,
  schoolId: string,
  identifiable: boolean,
): Promise<{ school: string; identifiable: boolean }> {
  const school = await models.School.findByIdAndUpdate(
    schoolId,
    { $set: { 'xapi.identifiable': identifiable } },
    { returnDocument: 'after' },
  ).lean();
  if (!school) throw notFound('school');
  return { school: schoolId, identifiable: school.xapi?.identifiable === true };
}

export const xapiGeneratorCommands: Record<string, Command> = {
  'xapi identifiable': {
    summary: "Show or set whether the school's xAPI statements carry names (default: pseudonymous LMS accounts only)",
    usage: '--school <id> [--on | --off]',
    options: {
      school: { type: 'string', description: 'the school' },
      on: { type: 'boolean', description: 'add names of pupils, staff and class titles to new statements' },
      off: { type: 'boolean', description: 'pseudonymous statements: LMS issuer and LTI sub only' },
    },
    async run({ models, values }) {
      const { school } = parse(z.object({ school: SchoolId }), { school: values.school });
      if (values.on === true && values.off === true)
        throw new AppError({ status: 400, code: 'invalid_request', message: 'Give --on or --off, not both.' });
      let result: { school: string; identifiable: boolean };
      if (values.on === true || values.off === true) result = await setXapiIdentifiable(models, school, values.on === true);
      else {
        const doc = await models.School.findById(school, { xapi: 1 }).lean();
        if (!doc) throw notFound('school');
        result = { school, identifiable: doc.xapi?.identifiable === true };
      }
      return {
        text: `xAPI statements for ${result.school}: ${result.identifiable ? 'identifiable (names included)' : 'pseudonymous (no names)'}.`,
        json: result,
      };
    },
  },
};
