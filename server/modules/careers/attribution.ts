/** Credit lines required by the data licences (see curriculum/careers/ATTRIBUTION.md); shown with the data. */
import type { Attribution } from '../../contract/careers.js';

export const ESCO: Attribution = {
  source: 'esco',
  text: 'This service uses the ESCO classification of the European Commission. The ESCO data shown here was adapted (filtered and shortened) by Waymark.',
  url: 'https://esco.ec.europa.eu/',
};
export const ONET: Attribution = {
  source: 'onet',
  text: 'This product includes information from the O*NET 29.1 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA.',
  url: 'https://www.onetcenter.org/',
};
export const BLS: Attribution = {
  source: 'bls',
  text: 'U.S. Bureau of Labor Statistics, Employment Projections 2024–34 and OEWS May 2024 (US figures).',
  url: 'https://www.bls.gov/emp/',
};
export const NESTA: Attribution = {
  source: 'nesta',
  text: 'ESCO–O*NET crosswalk: Kanders et al. (2020), Mapping Career Causeways, Nesta (MIT licence).',
  url: 'https://github.com/nestauk/mapping-career-causeways',
};
export const WAYMARK: Attribution = {
  source: 'waymark',
  text: 'Subjects, interests, routes in and people-at-work texts are written by Waymark; routes in are indicative.',
};

/** ESCO data only. */
export const ESCO_ONLY = [ESCO, WAYMARK];
/** ESCO data with US labour-market figures reached through the crosswalk. */
export const WITH_LABOUR_MARKET = [ESCO, BLS, ONET, NESTA, WAYMARK];
