/** The careers explorer API, mounted on the authenticated api router: parse → one service call → respond. */
import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import {
  ClassParams,
  ClassSubjectQuery,
  GroupParams,
  InterestId,
  OccupationParams,
  OpportunityInput,
  OpportunityParams,
  SaveOccupation,
  SearchQuery,
  ShareClassSubject,
  SubjectId,
  SuggestionsRequest,
} from '../../contract/careers.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import type { Logger } from '../../log.js';
import { z } from 'zod';
import * as careers from './service.js';
import { ESCO_ONLY } from './attribution.js';
import { getCatalog } from './catalog.js';

const NoQuery = z.strictObject({});

export function careersRoutes(deps: { models: Models; curriculum: Curriculum; logger?: Logger }): Router {
  const router = Router();

  router.get('/careers/meta', async (req, res) => {
    ctxOf(req);
    parse(NoQuery, req.query);
    const catalog = await getCatalog(deps.models, deps.logger);
    const meta = await deps.models.CareersMeta.findById('dataset').lean<{ counts: Record<string, number> }>();
    res.json({
      version: catalog.version,
      occupations: catalog.occupations.length,
      skills: catalog.skills.size,
      withLabourMarket: meta?.counts.with_labour_market ?? catalog.occupations.filter((o) => o.bls).length,
      languages: ['en', 'nl'],
      sources: {
        esco: 'ESCO v1.1.1',
        onet: 'O*NET 29.1',
        bls: 'BLS Employment Projections 2024–34, OEWS May 2024',
        nesta: 'Nesta crosswalk 2020',
      },
      attribution: ESCO_ONLY,
    });
  });

  router.get('/careers/search', async (req, res) => {
    res.json(await careers.search(deps, ctxOf(req), parse(SearchQuery, req.query)));
  });

  router.get('/careers/occupations/:id', async (req, res) => {
    res.json(await careers.occupationPage(deps, ctxOf(req), parse(OccupationParams, req.params).id));
  });

  router.get('/careers/groups', async (req, res) => {
    ctxOf(req);
    res.json(await careers.groups(deps));
  });
  router.get('/careers/groups/:code', async (req, res) => {
    ctxOf(req);
    res.json(await careers.group(deps, parse(GroupParams, req.params).code));
  });

  router.get('/careers/subjects', async (req, res) => {
    ctxOf(req);
    res.json(await careers.themes(deps, 'subjects'));
  });
  router.get('/careers/subjects/:id', async (req, res) => {
    ctxOf(req);
    res.json(await careers.theme(deps, 'subjects', parse(z.strictObject({ id: SubjectId }), req.params).id));
  });
  router.get('/careers/interests', async (req, res) => {
    ctxOf(req);
    res.json(await careers.themes(deps, 'interests'));
  });
  router.get('/careers/interests/:id', async (req, res) => {
    ctxOf(req);
    res.json(await careers.theme(deps, 'interests', parse(z.strictObject({ id: InterestId }), req.params).id));
  });

  router.get('/careers/people-at-work', async (req, res) => {
    ctxOf(req);
    res.json(await careers.peopleAtWork(deps));
  });

  router.get('/careers/saved', async (req, res) => {
    res.json(await careers.listSaved(deps, ctxOf(req)));
  });
  router.post('/careers/saved', async (req, res) => {
    const ctx = ctxOf(req);
    res.status(201).json(await careers.save(deps, ctx, parse(SaveOccupation, req.body)));
  });
  router.delete('/careers/saved/:id', async (req, res) => {
    const ctx = ctxOf(req);
    await careers.unsave(deps, ctx, parse(OccupationParams, req.params).id);
    res.status(204).end();
  });

  router.post('/careers/suggestions', async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await careers.suggestions(deps, ctx, parse(SuggestionsRequest, req.body ?? {})));
  });

  router.get('/careers/classes/:classId/subject', async (req, res) => {
    const ctx = ctxOf(req);
    const { classId } = parse(ClassParams, req.params);
    res.json(await careers.classSubject(deps, ctx, classId, parse(ClassSubjectQuery, req.query).subject));
  });

  router.get('/careers/classes/:classId/shared', async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await careers.classShared(deps, ctx, parse(ClassParams, req.params).classId));
  });
  router.post('/careers/classes/:classId/shared', async (req, res) => {
    const ctx = ctxOf(req);
    const { classId } = parse(ClassParams, req.params);
    res.json(await careers.shareClassSubject(deps, ctx, classId, parse(ShareClassSubject, req.body).subject));
  });

  router.get('/careers/insights', async (req, res) => {
    res.json(await careers.insights(deps, ctxOf(req)));
  });

  router.get('/careers/opportunities', async (req, res) => {
    res.json(await careers.listOpportunities(deps, ctxOf(req)));
  });
  router.post('/careers/opportunities', async (req, res) => {
    const ctx = ctxOf(req);
    res.status(201).json(await careers.createOpportunity(deps, ctx, parse(OpportunityInput, req.body)));
  });
  router.get('/careers/opportunities/:id', async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await careers.getOpportunity(deps, ctx, parse(OpportunityParams, req.params).id));
  });
  router.put('/careers/opportunities/:id', async (req, res) => {
    const ctx = ctxOf(req);
    const { id } = parse(OpportunityParams, req.params);
    res.json(await careers.updateOpportunity(deps, ctx, id, parse(OpportunityInput, req.body)));
  });
  router.delete('/careers/opportunities/:id', async (req, res) => {
    const ctx = ctxOf(req);
    await careers.deleteOpportunity(deps, ctx, parse(OpportunityParams, req.params).id);
    res.status(204).end();
  });

  return router;
}
