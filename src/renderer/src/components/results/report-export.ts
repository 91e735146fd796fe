import type { Client } from '../../../../shared/api/client.js';

/** The HTML report as a blob URL the page can open or download. */
async function reportUrl(client: Client, comparisonId: number): Promise<{ url: string; fileName: string }> {
  const { html, fileName } = await client.call('compare.reportHtml', { comparisonId });
  return { url: URL.createObjectURL(new Blob([html], { type: 'text/html' })), fileName };
}

/** Browser: downloads the report. Returns a line to tell the person. */
export async function downloadReport(client: Client, comparisonId: number): Promise<string> {
  const { url, fileName } = await reportUrl(client, comparisonId);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return `Report downloaded as ${fileName}.`;
}

/** Browser: opens the report in a new tab. */
export async function openReport(client: Client, comparisonId: number): Promise<void> {
  // The tab opens at once (inside the click) so no popup blocker steps in; the report follows.
  const tab = window.open('', '_blank');
  const { url } = await reportUrl(client, comparisonId);
  if (tab) tab.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Desktop: the person picks a folder; the engine writes the HTML, JSON and CSV there. Null when they cancel. */
export async function saveReportToFolder(client: Client, comparisonId: number): Promise<string | null> {
  const { path } = await client.call('app.pickFolder', { title: 'Save the comparison report in…' });
  if (!path) return null;
  const files = await client.call('compare.report', { comparisonId, dir: path });
  return files.html;
}
