// The history chart of docs/performance.md: for every recorded run (left to right, oldest first),
// latchkey's throughput as a multiple of the peer's, one line per case; the dashed line is 3×,
// the goal of most cases. Plain SVG, no dependency: it is redrawn by every recorded run.

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SVG document for `runs` (recorded results, oldest first). */
export function drawHistory(runs) {
  const width = 960;
  const height = 420;
  const plot = { left: 56, top: 40, right: 600, bottom: 360 };
  const ids = [...new Set(runs.flatMap((run) => run.cases.filter((c) => c.ratio_peer !== undefined).map((c) => c.id)))];
  const titles = Object.fromEntries(runs.flatMap((run) => run.cases.map((c) => [c.id, c.title])));
  const top = Math.max(4, Math.ceil(Math.max(...runs.flatMap((run) => run.cases.map((c) => c.ratio_peer ?? 0)))));
  const x = (i) => (runs.length === 1 ? (plot.left + plot.right) / 2 : plot.left + ((plot.right - plot.left) * i) / (runs.length - 1));
  const y = (value) => plot.bottom - ((plot.bottom - plot.top) * value) / top;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${plot.left}" y="22" font-size="14" font-weight="bold">latchkey req/s ÷ oidc-provider req/s, same machine, same run</text>`,
  ];
  for (let tick = 0; tick <= top; tick++) {
    parts.push(`<line x1="${plot.left}" y1="${y(tick)}" x2="${plot.right}" y2="${y(tick)}" stroke="#eee"/>`, `<text x="${plot.left - 8}" y="${y(tick) + 4}" text-anchor="end">${tick}×</text>`);
  }
  parts.push(`<line x1="${plot.left}" y1="${y(3)}" x2="${plot.right}" y2="${y(3)}" stroke="#444" stroke-dasharray="6 4"/>`);
  parts.push(`<line x1="${plot.left}" y1="${y(1)}" x2="${plot.right}" y2="${y(1)}" stroke="#999"/>`);
  runs.forEach((run, i) => {
    parts.push(`<text x="${x(i)}" y="${plot.bottom + 18}" text-anchor="middle">${escape(run.date.slice(0, 10))}</text>`, `<text x="${x(i)}" y="${plot.bottom + 32}" text-anchor="middle" fill="#666">${escape(run.commit)}</text>`);
  });
  ids.forEach((id, index) => {
    const color = COLORS[index % COLORS.length];
    const points = runs.map((run, i) => [i, run.cases.find((c) => c.id === id)?.ratio_peer]).filter(([, value]) => value !== undefined);
    if (points.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    for (const [i, v] of points) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${color}"><title>${escape(titles[id])}: ${v.toFixed(2)}×</title></circle>`);
    const legendY = plot.top + index * 20;
    parts.push(`<rect x="${plot.right + 24}" y="${legendY - 9}" width="14" height="4" fill="${color}"/>`, `<text x="${plot.right + 44}" y="${legendY - 3}">${escape(titles[id])}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
