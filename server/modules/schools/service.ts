import { conflict } from '../../errors.js';
import type { Models } from '../../db/models.js';
import type { CreateSchool, School } from '../../contract/schools.js';
import type { SchoolDoc } from './model.js';

/**
 * Creates a school (tenant).
 * @throws AppError 409 school_exists when the id is taken.
 */
export async function createSchool(models: Models, input: CreateSchool): Promise<School> {
  try {
    const doc = await models.School.create({ _id: input.id, name: input.name, locale: input.locale, country: input.country });
    return presentSchool(doc.toObject());
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw conflict('school_exists', `A school with id "${input.id}" already exists.`);
    throw err;
  }
}

export async function listSchools(models: Models): Promise<School[]> {
  const docs = await models.School.find().sort({ _id: 1 }).lean<SchoolDoc[]>();
  return docs.map(presentSchool);
}

export function presentSchool(doc: SchoolDoc & { createdAt?: Date }): School {
  return {
    id: doc._id,
    name: doc.name,
    locale: doc.locale ?? 'en',
    country: doc.country ?? 'other',
    createdAt: (doc.createdAt ?? new Date(0)).toISOString(),
  };
}
