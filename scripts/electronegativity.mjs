// Runs Doyensec's Electronegativity (the Electron security checklist as static checks) over the
// Electron shell and the page, and fails on any finding not explained in docs/RELIABILITY.md.
// Its CLI entry breaks on the commander this project uses, so its runner is called directly.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// It fetches translations online first (and waits ~10 s on a machine without that network): its
// HTTP client is answered "offline" at once, so it uses the English texts it ships.
const gotPath = require.resolve('got', { paths: [path.dirname(require.resolve('@doyensec/electronegativity/package.json'))] });
const offline = () => Promise.reject(new Error('offline'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
const run = require('@doyensec/electronegativity/dist/runner.js');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = require('electron/package.json').version;

/**
 * Findings that do not apply, each with the reason (kept in step with docs/RELIABILITY.md).
 * Keyed by check id and file relative to the scanned folder.
 */
const explained = {
  'CSP_GLOBAL_CHECK src/renderer/index.html':
    "csp-evaluator's only note is \"script-src 'self' can be problematic if you host JSONP, Angular or user uploaded files\": the page's origin holds only our bundled scripts; user images never come from it (they come through smallset:// by id, allowed for img-src only).",
  'OPEN_EXTERNAL_JS_CHECK src/main/index.ts':
    'shell.openExternal is reached only from the window-open handler (src/main/security.ts), which passes https:// URLs alone and denies the window; test/main/electron-bundle.test.ts checks file:// and javascript: are refused.',
  'PRELOAD_JS_CHECK src/main/window.ts':
    'The preload exposes exactly invoke(method, input) and on(event, listener) through contextBridge, no ipcRenderer or Node; the main process checks the sender frame and validates every input with the contract schemas (test/main/*).',
};

/** The page's CSP may carry no other csp-evaluator note than the one explained above. */
function otherCspNotes() {
  const csp = require('@doyensec/csp-evaluator');
  const html = readFileSync(path.join(repo, 'src/renderer/index.html'), 'utf8');
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  const notes = new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();
  return notes.filter((n) => !(n.directive === 'script-src' && n.value === "'self'")).map((n) => `${n.directive} ${n.value ?? ''}: ${n.description}`);
}

// One scan over the shell and the page together: its global checks (CSP, navigation limits,
// permission handler) look for each piece across everything it was given.
const inputs = ['src/main', 'src/preload', 'src/renderer/index.html'];
const scanned = mkdtempSync(path.join(os.tmpdir(), 'smallset-electronegativity-'));
for (const input of inputs) cpSync(path.join(repo, input), path.join(scanned, input), { recursive: true });
let unexplained = 0;
let result;
try {
  result = await run({
    input: scanned,
    isRelative: true,
    customScan: [],
    // It looks up Electron's newest releases online (CI has no such network) and Electron's version is pinned here anyway.
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
} finally {
  rmSync(scanned, { recursive: true, force: true });
}
for (const e of result.errors.filter((x) => !x.tolerable)) {
  console.error(`electronegativity: could not parse ${e.file}: ${e.message}`);
  unexplained++;
}
for (const issue of result.issues) {
  const key = `${issue.id} ${issue.file}`;
  const line = `${issue.id} ${issue.file}:${issue.location?.line ?? '?'} [${issue.severity?.name}/${issue.confidence?.name}] ${issue.description}`;
  const extra = issue.id === 'CSP_GLOBAL_CHECK' ? otherCspNotes() : [];
  if (extra.length) console.error(`FINDING: ${line}\n  ${extra.join('\n  ')}`);
  if (extra.length) unexplained++;
  else if (explained[key]) console.log(`explained: ${line}\n  → ${explained[key]}`);
  else {
    console.error(`FINDING: ${line}`);
    unexplained++;
  }
}
console.log(
  `electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.atomicChecks + result.globalChecks} checks against Electron ${electronVersion} over ${inputs.join(', ')}; ${result.issues.length} finding(s), ${unexplained} unexplained.`,
);
process.exitCode = unexplained ? 1 : 0;
