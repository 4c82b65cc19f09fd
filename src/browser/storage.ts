// What a page script can read in a browser context: localStorage, sessionStorage and IndexedDB database
// names (cookies come from the context itself). Shared by auth.browser-storage and realtime.browser-storage.
import type { Page } from 'playwright-core';

export interface StorageSnapshot {
  local: [string, string][];
  session: [string, string][];
  indexedDb: string[];
}

const READ_STORAGE = `(async function () {
  var entries = function (s) { try { return Object.keys(s).map(function (k) { return [k, String(s.getItem(k))]; }); } catch (e) { return []; } };
  var dbs = [];
  try { if (indexedDB.databases) dbs = (await indexedDB.databases()).map(function (d) { return d.name || ''; }); } catch (e) {}
  return { local: entries(localStorage), session: entries(sessionStorage), indexedDb: dbs };
})()`;

export async function readStorage(page: Page): Promise<StorageSnapshot> {
  return (await page.evaluate(READ_STORAGE)) as StorageSnapshot;
}
