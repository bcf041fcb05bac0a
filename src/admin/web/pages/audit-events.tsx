/**
 * The audit log, newest first: administrators' changes and security events (logins, consents,
 * logouts, replays, failed client authentications), filtered by type, actor, client, user and
 * time. Times are entered and shown in UTC.
 */
import type { z } from 'zod';
import type { auditEventView, pageOf } from '../../api/schemas.js';
import { EmptyRow, FilterForm, FilterInput, Pager, Time } from '../components.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { sendPage, type PageHandler } from '../page.js';

type AuditPage = z.infer<ReturnType<typeof pageOf<typeof auditEventView>>>;

/** `GET /admin/audit-events?type=&actor=&client_id=&sub=&since=&until=`. */
export const listAuditEventsPage: PageHandler = async (page) => {
  const query = page.url.searchParams;
  const text = (name: string) => query.get(name)?.trim() ?? '';
  const since = epochOf(text('since'));
  const until = epochOf(text('until'));
  const problems = [
    ...(since === null ? ['“From” is not a date and time (YYYY-MM-DDTHH:MM, UTC).'] : []),
    ...(until === null ? ['“Until” is not a date and time (YYYY-MM-DDTHH:MM, UTC).'] : []),
  ];
  const list: AuditPage = problems.length > 0 ? { items: [] } : await page.api.get<AuditPage>('/audit-events', {
    type: text('type'),
    actor: text('actor'),
    client_id: text('client_id'),
    sub: text('sub'),
    since: since ?? undefined,
    until: until ?? undefined,
    cursor: query.get('cursor') ?? undefined,
    limit: 50,
  });
  return sendPage(renderDocument(
    <ConsoleLayout title="Audit log" section="audit-events" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Audit log</h1>
      <FilterForm action={page.link('/audit-events')} label="Filter">
        <FilterInput name="type" label="Type" value={text('type')} placeholder="login.failed" />
        <FilterInput name="actor" label="Actor" value={text('actor')} placeholder="user:… / client:… / cli" />
        <FilterInput name="client_id" label="client_id" value={text('client_id')} />
        <FilterInput name="sub" label="User (sub)" value={text('sub')} />
        <FilterInput name="since" label="From (UTC)" type="datetime-local" value={text('since')} />
        <FilterInput name="until" label="Until (UTC)" type="datetime-local" value={text('until')} />
      </FilterForm>
      {problems.map((problem) => <p class="alert" role="alert">{problem}</p>)}
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Actor</th><th scope="col">Client</th><th scope="col">User</th><th scope="col">Details</th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={6}>No events.</EmptyRow> : list.items.map((event) => (
            <tr>
              <td><Time at={event.at} /></td>
              <td class="nowrap"><code>{event.type}</code></td>
              <td><code>{event.actor}</code></td>
              <td>{event.client_id === undefined ? null : <a href={page.link(`/clients/${encodeURIComponent(event.client_id)}`)}><code>{event.client_id}</code></a>}</td>
              <td>{event.sub === undefined ? null : <a href={page.link(`/users/${encodeURIComponent(event.sub)}`)}><code>{event.sub}</code></a>}</td>
              <td class="small">
                {event.target === undefined ? null : <div>target <code>{event.target}</code></div>}
                {Object.keys(event.data).length === 0 ? null : <code>{JSON.stringify(event.data)}</code>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ), problems.length > 0 ? 400 : 200);
};

/** A `datetime-local` value read as UTC → epoch seconds; undefined when empty, null when invalid. */
function epochOf(value: string): number | undefined | null {
  if (value === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}
