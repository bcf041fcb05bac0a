/** How the admin API shows records that several of its resources list. */
import type { z } from 'zod';
import type { ConsentRecord, ListedArtifact } from '../../storage/types.js';
import type { consentView, sessionView } from './schemas.js';

export function showSession(session: ListedArtifact<'session'>): z.infer<typeof sessionView> {
  const { sid, sub, auth_time, amr, acr, user_agent, address } = session.value;
  return {
    id: session.id,
    sid,
    sub,
    auth_time,
    amr,
    ...(acr === undefined ? {} : { acr }),
    ...(user_agent === undefined ? {} : { user_agent }),
    ...(address === undefined ? {} : { address }),
    expires_at: session.expires_at,
  };
}

export function showConsent(consent: ConsentRecord): z.infer<typeof consentView> {
  const { sub, client_id, scope, claims, granted_at } = consent;
  return { sub, client_id, scope, claims, granted_at };
}
