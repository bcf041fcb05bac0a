/**
 * The dashboard, the console's home: live figures of the installation and small SVG charts of
 * its recent activity — tokens issued per minute by grant, logins succeeded and failed, HTTP requests
 * and error responses, error rate, sessions — drawn on the server from the admin API's
 * `GET /metrics/dashboard` (the per-minute counters every process adds to storage), over a window
 * of 15 minutes to 24 hours. The figures region refreshes itself every few seconds with the
 * console's script; without JavaScript the page shows the figures as of loading.
 */
import type { z } from 'zod';
import type { dashboardView } from '../../api/schemas.js';
import { BarChart, LineChart, type ChartSeries } from '../charts.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { sendPage, type PageContext, type PageHandler } from '../page.js';

type DashboardView = z.infer<typeof dashboardView>;

/** How often the figures refresh with JavaScript, in seconds. */
const REFRESH_SECONDS = 5;

/** The windows the dashboard offers (`?minutes=`), and how each is named. */
const WINDOWS: ReadonlyMap<number, string> = new Map([
  [15, 'last 15 minutes'],
  [60, 'last hour'],
  [360, 'last 6 hours'],
  [1440, 'last 24 hours'],
]);

/** The window the page's URL asks for; the last hour by default. */
function windowOf(page: PageContext): number {
  const minutes = Number(page.url.searchParams.get('minutes'));
  return WINDOWS.has(minutes) ? minutes : 60;
}

/** `GET /admin?minutes=`. */
export const dashboardPage: PageHandler = async (page) => {
  const minutes = windowOf(page);
  const dashboard = await page.api.get<DashboardView>('/metrics/dashboard', { minutes });
  return sendPage(renderDocument(
    <ConsoleLayout title="Dashboard" section="dashboard" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Dashboard</h1>
      <nav class="actions" aria-label="Time window">
        {[...WINDOWS].map(([value, name]) => (
          <a class={value === minutes ? 'button' : 'button secondary'} href={page.link(value === 60 ? '' : `?minutes=${value}`)} aria-current={value === minutes ? 'true' : undefined}>{name}</a>
        ))}
      </nav>
      <div data-refresh={page.link(`/dashboard/figures?minutes=${minutes}`)} data-refresh-seconds={String(REFRESH_SECONDS)} aria-live="off">
        <Figures dashboard={dashboard} window={WINDOWS.get(minutes)!} />
      </div>
    </ConsoleLayout>,
  ));
};

/** `GET /admin/dashboard/figures?minutes=`: the figures region alone, for the refresh script. */
export const dashboardFiguresFragment: PageHandler = async (page: PageContext) => {
  const minutes = windowOf(page);
  const dashboard = await page.api.get<DashboardView>('/metrics/dashboard', { minutes });
  return sendPage(renderDocument(
    <html lang="en">
      <head><meta charset="utf-8" /><title>Dashboard figures</title></head>
      <body><div data-fragment=""><Figures dashboard={dashboard} window={WINDOWS.get(minutes)!} /></div></body>
    </html>,
  ));
};

function Figures(props: { dashboard: DashboardView; window: string }) {
  const { minutes, series, totals, active_sessions, now } = props.dashboard;
  const last = props.window;
  const grants = Object.entries(series.tokens_issued);
  const active = grants.filter(([grant]) => (totals.tokens_issued[grant] ?? 0) > 0);
  // With no tokens issued, the chart still shows the usual grants, flat at zero.
  const tokenSeries: ChartSeries[] = (active.length > 0 ? active : grants.slice(0, 2)).map(([label, values]) => ({ label, values }));
  const tokensTotal = Object.values(totals.tokens_issued).reduce((a, b) => a + b, 0);
  const errorRate = series.http.requests.map((requests, i) => (requests === 0 ? 0 : Math.round((100 * (series.http.client_errors[i]! + series.http.server_errors[i]!)) / requests)));
  const errorsTotal = totals.http.client_errors + totals.http.server_errors;
  return (
    <>
      <div class="grid" role="list" aria-label={`Figures of the ${last}`}>
        <Figure label="Active sessions (now)" value={active_sessions} />
        <Figure label={`Tokens issued (${last})`} value={tokensTotal} />
        <Figure label={`Logins succeeded (${last})`} value={totals.logins.succeeded} />
        <Figure label={`Logins failed (${last})`} value={totals.logins.failed + totals.logins.throttled} />
        <Figure label={`HTTP requests (${last})`} value={totals.http.requests} />
        <Figure label="Error responses (4xx / 5xx)" value={`${totals.http.client_errors} / ${totals.http.server_errors}`} />
        <Figure label={`Error rate (${last})`} value={totals.http.requests === 0 ? '0 %' : `${((100 * errorsTotal) / totals.http.requests).toFixed(1)} %`} />
      </div>
      <div class="charts">
        <LineChart id="chart-tokens" title="Tokens issued per minute, by grant" minutes={minutes} series={tokenSeries} />
        <BarChart id="chart-logins" title="Logins per minute" minutes={minutes} series={[{ label: 'succeeded', values: series.logins.succeeded }, { label: 'failed', values: series.logins.failed }, ...(totals.logins.throttled > 0 ? [{ label: 'throttled', values: series.logins.throttled }] : [])]} />
        <LineChart id="chart-http" title="HTTP responses per minute" minutes={minutes} series={[{ label: 'all', values: series.http.requests }, { label: '4xx', values: series.http.client_errors }, { label: '5xx', values: series.http.server_errors }]} />
        <LineChart id="chart-errors" title="Error rate per minute (%)" minutes={minutes} summed={false} series={[{ label: '4xx + 5xx, %', values: errorRate }]} />
        <BarChart id="chart-sessions" title="Sessions per minute" minutes={minutes} series={[{ label: 'started', values: series.sessions.started }, { label: 'ended', values: series.sessions.ended }]} />
      </div>
      <p class="muted small">As of <time datetime={new Date(now * 1000).toISOString()}>{new Date(now * 1000).toISOString().slice(11, 19)} UTC</time>; counts reach the dashboard within a few seconds. Times in UTC.</p>
    </>
  );
}

function Figure(props: { label: string; value: number | string }) {
  return (
    <div class="figure" role="listitem">
      <span class="value" data-figure={props.label}>{props.value}</span>
      <span class="label">{props.label}</span>
    </div>
  );
}
