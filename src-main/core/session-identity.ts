/**
 * Which session and scenario: the fields that name a session wherever it is
 * shown or exported. The contract's session state and list (api/sessions.ts)
 * and the debrief (debrief/model.ts) all begin with them, so they are named
 * and checked the same way everywhere.
 */
import { z } from 'zod';

export const SessionIdentityShape = {
  id: z.string(),
  name: z.string(),
  facilitator: z.string(),
  sensitivity: z.string(),
  scenarioId: z.string(),
  scenarioVersion: z.string(),
  scenarioTitle: z.string(),
};
