import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { readCofactsLabel } from './cofacts-labels.js';
import { sha256Hex } from '../shared/ids.js';

import { isScamType } from '../vocabulary/index.js';
import type { ScamType } from '../vocabulary/index.js';
/**
 * The labelled data of the scam classifier, built from files in the repository following
 * `data/classifier/README.md` (the labelling guide). Every row records where it came from.
 */
export interface LabelledRow {
  /** `<source>:<source id>`. */
  id: string;
  /** `cofacts` (data/demo/cofacts-dev.csv), `tw165` (data/classifier/tw165-scam-alert-articles.csv) or `written`. */
  source: 'cofacts' | 'tw165' | 'written';
  text: string;
  scam: boolean;
  /** The scam type of a scam row; null for not-scam rows. */
  scamType: ScamType | null;
  /** Why the row has its label (the guide's rule). */
  rule: string;
  /** True for the held-out split (20%, by SHA-256 of `id`): never used for training. */
  heldOut: boolean;
}

function heldOut(id: string): boolean {
  return Number.parseInt(sha256Hex(id).slice(0, 2), 16) < 52; // 52/256 ≈ 20 %
}

function recordsOf(file: string): Array<Record<string, string>> {
  const rows: unknown = parse(readFileSync(file), { columns: true, bom: true });
  if (!Array.isArray(rows)) return [];
  return rows.filter((r): r is Record<string, string> => typeof r === 'object' && r !== null);
}

/**
 * Reads the labelled rows from `root` (the repository root): Cofacts messages (rules C1–C3),
 * 165 anti-fraud articles (rule T1), messages written from 165's scam patterns (rule W1).
 */
export function loadLabelledRows(root: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const add = (row: Omit<LabelledRow, 'heldOut'>): void => {
    rows.push({ ...row, heldOut: heldOut(row.id) });
  };
  for (const r of recordsOf(path.join(root, 'data/demo/cofacts-dev.csv'))) {
    const text = (r.text ?? '').trim();
    if (text === '') continue;
    // Rules C1–C3 (intake/importers/cofacts-labels.ts); labels 12, 13 and 14 are left out.
    const { reading } = readCofactsLabel(r.label ?? '', text);
    if (reading === 'undecidable') continue;
    const id = `cofacts:${r.id ?? ''}`;
    if (reading === 'scam') {
      add({ id, source: 'cofacts', text, scam: true, scamType: 'windfall', rule: 'C1' });
    } else {
      const rule = reading === 'warning' ? 'C2' : 'C3';
      add({ id, source: 'cofacts', text, scam: false, scamType: null, rule });
    }
  }
  for (const r of recordsOf(path.join(root, 'data/classifier/tw165-scam-alert-articles.csv'))) {
    const text = `${r['標題'] ?? ''}\n${r['發佈內容'] ?? ''}`.trim();
    if (text === '') continue;
    add({
      id: `tw165:${r['編號'] ?? ''}`,
      source: 'tw165',
      text,
      scam: false,
      scamType: null,
      rule: 'T1',
    });
  }
  const written = readFileSync(path.join(root, 'data/classifier/written.jsonl'), 'utf8');
  for (const line of written.split('\n')) {
    if (line.trim() === '') continue;
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) continue;
    const id: unknown = Reflect.get(parsed, 'id');
    const text: unknown = Reflect.get(parsed, 'text');
    const type: unknown = Reflect.get(parsed, 'scamType');
    if (typeof id !== 'string' || typeof text !== 'string' || typeof type !== 'string') continue;
    if (!isScamType(type)) continue;
    add({ id: `written:${id}`, source: 'written', text, scam: true, scamType: type, rule: 'W1' });
  }
  return rows;
}
