/**
 * Groups: every group some user belongs to, with how many do, each linking to the users list
 * filtered to its members. Groups are given on a user's page (one per line).
 */
import type { z } from 'zod';
import type { groupView } from '../../api/schemas.js';
import { EmptyRow } from '../components.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { sendPage, type PageHandler } from '../page.js';

/** `GET /admin/groups`. */
export const listGroupsPage: PageHandler = async (page) => {
  const { items } = await page.api.get<{ items: z.infer<typeof groupView>[] }>('/groups');
  return sendPage(renderDocument(
    <ConsoleLayout title="Groups" section="groups" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Groups</h1>
      <p class="muted">The groups users belong to, released to applications as the <code>groups</code> claim. A user's groups are set on the user's page; a client may admit only some groups (its <strong>Allowed groups</strong>).</p>
      <table>
        <thead><tr><th scope="col">Group</th><th scope="col">Members</th></tr></thead>
        <tbody>
          {items.length === 0 ? <EmptyRow columns={2}>No user belongs to a group yet.</EmptyRow> : items.map((group) => (
            <tr>
              <td><a href={page.link(`/users?group=${encodeURIComponent(group.name)}`)}>{group.name}</a></td>
              <td>{group.members}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>,
  ));
};
