/** The dashboard: the console's home. */
import { ConsoleLayout, renderDocument } from '../layout.js';
import { sendPage, type PageHandler } from '../page.js';

/** `GET /admin`. */
export const dashboardPage: PageHandler = async (page) => {
  return sendPage(renderDocument(
    <ConsoleLayout title="Dashboard" section="dashboard" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Dashboard</h1>
    </ConsoleLayout>,
  ));
};
