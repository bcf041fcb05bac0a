/**
 * Small charts drawn on the server as plain SVG — no chart library, no script: a line chart
 * (`<polyline>` per series) and a bar chart (`<rect>` per minute and series). Each is an image
 * to assistive technology (`role="img"`, an `aria-label` that says what the figures are, a
 * `<title>`), with a legend in HTML beside it. Colours come from the stylesheet's `.s0`…`.s4`
 * classes, so the CSP needs no inline style.
 */

/** One series of a chart: a label and one value per minute. */
export interface ChartSeries {
  label: string;
  values: readonly number[];
}

/** What both kinds of chart take. */
export interface ChartProps {
  /** The chart's caption, e.g. "Tokens issued per minute". */
  title: string;
  /** Start of each minute (epoch seconds), oldest first; one per value of each series. */
  minutes: readonly number[];
  series: readonly ChartSeries[];
  /** Stable id for the caption. */
  id: string;
  /**
   * Whether the values add up to a meaningful total (counts do; a rate does not, and is
   * summarized by its peak). Default true.
   */
  summed?: boolean;
}

const WIDTH = 360;
const HEIGHT = 140;
const LEFT = 34;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 20;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

/** A line per series: counts per minute over the window. */
export function LineChart(props: ChartProps) {
  const max = niceMax(props.series.flatMap((series) => series.values));
  const count = props.minutes.length;
  const x = (i: number) => LEFT + (count <= 1 ? PLOT_WIDTH : (i * PLOT_WIDTH) / (count - 1));
  const y = (value: number) => TOP + PLOT_HEIGHT - (value / max) * PLOT_HEIGHT;
  return (
    <ChartFrame {...props} max={max} kind="line">
      {props.series.map((series, s) => (
        <polyline class={`s${s % 5}`} data-series={series.label} points={series.values.map((value, i) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(' ')} />
      ))}
    </ChartFrame>
  );
}

/** Bars side by side per minute, one per series. */
export function BarChart(props: ChartProps) {
  const max = niceMax(props.series.flatMap((series) => series.values));
  const count = Math.max(props.minutes.length, 1);
  const slot = PLOT_WIDTH / count;
  const barWidth = Math.max((slot * 0.8) / Math.max(props.series.length, 1), 0.5);
  return (
    <ChartFrame {...props} max={max} kind="bar">
      {props.series.map((series, s) => series.values.map((value, i) => {
        if (value <= 0) return null;
        const height = (value / max) * PLOT_HEIGHT;
        return <rect class={`s${s % 5}`} data-series={series.label} x={(LEFT + i * slot + slot * 0.1 + s * barWidth).toFixed(1)} y={(TOP + PLOT_HEIGHT - height).toFixed(1)} width={barWidth.toFixed(2)} height={height.toFixed(1)} />;
      }))}
    </ChartFrame>
  );
}

/** The frame both charts share: caption, axes, scale labels, legend and the accessible summary. */
function ChartFrame(props: ChartProps & { max: number; kind: 'line' | 'bar'; children?: unknown }) {
  const summed = props.summed ?? true;
  const describe = (series: ChartSeries) => (summed ? `${series.label} ${sum(series.values)} in total, at most ${Math.max(0, ...series.values)} a minute` : `${series.label} at most ${Math.max(0, ...series.values)}`);
  const summary = `${props.title}, ${windowText(props.minutes)}: ${props.series.map(describe).join('; ')}.`;
  return (
    <figure class="chart" data-chart={props.kind}>
      <figcaption id={props.id}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} xmlns="http://www.w3.org/2000/svg">
        <title>{summary}</title>
        <line class="axis" x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + PLOT_HEIGHT} />
        <line class="axis" x1={LEFT} y1={TOP + PLOT_HEIGHT} x2={WIDTH - RIGHT} y2={TOP + PLOT_HEIGHT} />
        <line class="axis" x1={LEFT - 3} y1={TOP} x2={LEFT} y2={TOP} />
        <text class="tick" x={LEFT - 5} y={TOP + 4} text-anchor="end">{props.max}</text>
        <text class="tick" x={LEFT - 5} y={TOP + PLOT_HEIGHT} text-anchor="end">0</text>
        <text class="tick" x={LEFT} y={HEIGHT - 6}>{clock(props.minutes[0])}</text>
        <text class="tick" x={WIDTH - RIGHT} y={HEIGHT - 6} text-anchor="end">{clock(props.minutes[props.minutes.length - 1])}</text>
        {props.children}
      </svg>
      <ul class="legend" aria-hidden="true">
        {props.series.map((series, s) => <li class={`s${s % 5}`}><span>{series.label} ({summed ? sum(series.values) : `peak ${Math.max(0, ...series.values)}`})</span></li>)}
      </ul>
    </figure>
  );
}

/** A round upper bound for the scale: 1, 2, 5, 10, 20, 50 … at least the largest value. */
export function niceMax(values: readonly number[]): number {
  const max = Math.max(1, ...values);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= max)!;
  return step * magnitude;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** `HH:MM` UTC of a minute. */
function clock(minute: number | undefined): string {
  return minute === undefined ? '' : new Date(minute * 1000).toISOString().slice(11, 16);
}

function windowText(minutes: readonly number[]): string {
  return minutes.length === 0 ? 'no data' : `per minute from ${clock(minutes[0])} to ${clock(minutes[minutes.length - 1])} UTC`;
}
