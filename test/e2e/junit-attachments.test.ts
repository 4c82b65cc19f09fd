// JUnit attachments as GitLab and Jenkins read them (issue 18 item 5): both resolve a relative
// [[ATTACHMENT|path]] from the project folder ($CI_PROJECT_DIR, the Jenkins workspace), not from the report's
// folder, and GitLab shows only the first one, so it must be B's screenshot, the one that shows the miss.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { attachmentBase, renderJunit } from '../../src/report/junit.js';
import { runResultOf } from '../helpers/run-result.js';
import { runCli } from '../helpers/cli.js';

test("a realtime miss, report in out/: the first attachment is B's screenshot at a path GitLab finds from the project folder", async () => {
  const project = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-project-'));
  const r = await runCli(['demo', '--gates', 'realtime', '--flaws', 'realtime-no-broadcast', '-r', 'junit=out/junit.xml'], {
    cwd: project,
    env: { CI_PROJECT_DIR: project, JENKINS_URL: undefined, WORKSPACE: undefined },
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const junit = readFileSync(join(project, 'out/junit.xml'), 'utf8');
  const attachments = [...junit.matchAll(/\[\[ATTACHMENT\|([^\]]+)\]\]/g)].map((m) => m[1]);
  assert.ok(attachments.length >= 2, junit);
  assert.match(attachments[0], /^out\/realtime-sync-B\.png$/);
  // GitLab's and Jenkins' own resolution: the project folder joined with the path.
  for (const a of attachments) assert.ok(existsSync(join(project, a)), `${a} is not in the project folder`);
});

test('the folder attachments are relative to: $CI_PROJECT_DIR, then the Jenkins workspace, then the working folder', () => {
  assert.equal(attachmentBase({ CI_PROJECT_DIR: '/builds/group/app', WORKSPACE: '/ws' }), '/builds/group/app');
  assert.equal(attachmentBase({ JENKINS_URL: 'http://jenkins.local/', WORKSPACE: '/var/jenkins/ws/app' }), '/var/jenkins/ws/app');
  // A WORKSPACE variable outside Jenkins means nothing to a consumer.
  assert.equal(attachmentBase({ WORKSPACE: '/elsewhere' }), process.cwd());
});

test('an attachment outside that folder stays absolute (Jenkins still reads it; ../ would reach nothing)', () => {
  // The auth gate's browser-storage check attaches what it saw in the browser, like the realtime gate.
  const storage = {
    id: 'auth.browser-storage',
    title: 'No token in browser storage',
    status: 'fail' as const,
    severity: 'high' as const,
    message: 'localStorage holds an access token',
    durationMs: 1,
    evidence: { attachments: ['/builds/app/out/auth-storage.png', '/tmp/shots/auth-login.png'] },
  };
  const xml = renderJunit(
    runResultOf([{ id: 'auth', title: 'Auth', status: 'fail', durationMs: 1, checks: [storage] }]),
    '/builds/app',
  );
  assert.match(xml, /\[\[ATTACHMENT\|out\/auth-storage\.png\]\]\n\[\[ATTACHMENT\|\/tmp\/shots\/auth-login\.png\]\]/);
});
