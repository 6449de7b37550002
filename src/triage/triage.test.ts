import { describe, expect, it } from 'vitest';
import { trainScamClassifier, type ScamClassifierModel } from '../classifier/index.js';
import type { LabelledRow } from '../classifier/index.js';
import { EntityMatcher } from './entity-matcher.js';
import { riskScore } from './risk.js';
import { classifyScamType } from '../classifier/index.js';
import { LOOKALIKE_DOMAINS, triage } from './triage.js';
import type { TriageContext } from './triage-context.js';

const row = (id: string, text: string, scamType: LabelledRow['scamType']): LabelledRow => ({
  id,
  source: 'written',
  text,
  scam: scamType !== null,
  scamType,
  rule: 'test',
  heldOut: false,
});

// Rows that teach the model that 恭喜/領取/免費 messages are investment scams, while the keyword
// rules call the same words `windfall`: the two sources disagree on purpose.
const trained = trainScamClassifier([
  row('1', '恭喜領取免費飆股明牌', 'investment'),
  row('2', '免費領取恭喜加入飆股群', 'investment'),
  row('3', '恭喜免費領取明牌報酬', 'investment'),
  row('4', '寂寞單身想約會交友', 'romance'),
  row('5', '單身寂寞交友約會聊天', 'romance'),
  row('6', '今天天氣晴朗適合散步', null),
  row('7', '多喝水有益健康每天八杯', null),
  row('8', '天氣變冷記得多穿衣服', null),
  row('9', '健康飲食多吃蔬菜水果', null),
]);
const withSources = (
  ruleClasses: ScamClassifierModel['ruleClasses'],
  scamSource: ScamClassifierModel['scamSource'] = 'model',
): ScamClassifierModel => ({ ...trained, ruleClasses, scamSource });

const context: TriageContext = {
  matcher: new EntityMatcher([]),
  rules: [],
  entityKinds: new Map(),
  domainOwners: new Map(),
};
const facts = (text: string, scamTypeHint?: LabelledRow['scamType']) => ({
  text,
  platform: 'line',
  indicators: [],
  reportCount: 1,
  scamTypeHint: scamTypeHint ?? undefined,
});
const run = (text: string, model: ScamClassifierModel, hint?: LabelledRow['scamType']) =>
  triage(facts(text, hint), context, [], new Set(), {}, model);

describe('triage with the trained classifier', () => {
  const text = '恭喜領取免費';

  it('takes the scam type from the model, and says so', () => {
    expect(classifyScamType(text).scamType).toBe('windfall');
    const result = run(text, withSources([]));
    expect(result).toMatchObject({ scamType: 'investment', scamTypeSource: 'model' });
    expect(result.scamKeywords.sort()).toEqual(['免費', '領取', '恭喜'].sort());
  });

  it('lets the rules decide the classes the model file gives them', () => {
    expect(run(text, withSources(['windfall']))).toMatchObject({
      scamType: 'windfall',
      scamTypeSource: 'rules',
    });
    // A rule class the rules did not find leaves the decision to the model.
    expect(run(text, withSources(['romance']))).toMatchObject({
      scamType: 'investment',
      scamTypeSource: 'model',
    });
  });

  it('uses a structured hint only when the decision is `other`, and keeps an analyst override', () => {
    const plain = '今天天氣晴朗';
    expect(run(plain, withSources(['other']), 'job')).toMatchObject({
      scamType: 'job',
      scamTypeSource: 'hint',
    });
    expect(run(text, withSources([]), 'job').scamTypeSource).toBe('model');
    const overridden = triage(
      facts(text),
      context,
      [],
      new Set(['scamType'] as const),
      { scamType: 'charity' },
      withSources([]),
    );
    expect(overridden).toMatchObject({ scamType: 'charity', scamTypeSource: 'override' });
  });

  it('scores risk from the model probability, or from keywords when the rules decide scam vs not', () => {
    const scam = run('恭喜免費領取飆股明牌', withSources([]));
    const benign = run('今天天氣晴朗多喝水', withSources([]));
    expect(scam.scamProbability).toBeGreaterThan(0.5);
    expect(benign.scamProbability).toBeLessThan(0.5);
    expect(scam.riskScore).toBeGreaterThan(benign.riskScore);
    expect(scam.scamSource).toBe('model');
    const base = { impersonation: false, lookalike: false, shortener: false };
    expect(scam.riskScore).toBe(
      riskScore({
        ...base,
        keywordHits: 0,
        contactOrPayment: 0,
        reportCount: 1,
        scamProbability: scam.scamProbability,
      }),
    );
    const byRules = run('恭喜免費領取飆股明牌', withSources([], 'rules'));
    expect(byRules.scamSource).toBe('rules');
    expect(byRules.riskScore).toBe(
      riskScore({
        ...base,
        keywordHits: byRules.scamKeywords.length,
        contactOrPayment: 0,
        reportCount: 1,
      }),
    );
  });
});

describe('triage of many domains', () => {
  const withDomains = (domains: string[]) => ({
    text: '',
    platform: 'website',
    indicators: domains.map((value) => ({ type: 'domain', value })),
    reportCount: 1,
  });
  const fillers = Array.from({ length: LOOKALIKE_DOMAINS }, (_, i) => `filler${i}.org`);

  it('checks the first LOOKALIKE_DOMAINS registrable domains for lookalikes, no more', () => {
    const first = triage(withDomains(['tsrnc.com', ...fillers]), context, ['tsmc.com']);
    expect(first.lookalikes).toEqual([{ domain: 'tsrnc.com', imitates: 'tsmc.com' }]);
    const late = triage(withDomains([...fillers, 'tsrnc.com']), context, ['tsmc.com']);
    expect(late.lookalikes).toEqual([]);
  });
});

describe('triage of content sharing an indicator with a confirmed scam', () => {
  const facts = {
    text: '',
    platform: 'line',
    indicators: [{ type: 'line_id', value: 'lai659' }],
    reportCount: 1,
  };

  it('adds 40 to the risk score and keeps the links it was given', () => {
    const known = [{ caseId: 'C165LINE0001', type: 'line_id', value: 'lai659' }];
    const plain = triage(facts, context, []);
    const linked = triage({ ...facts, knownScams: known }, context, []);
    expect(plain.knownScams).toEqual([]);
    expect(linked.knownScams).toEqual(known);
    expect(linked.riskScore).toBe(Math.min(100, plain.riskScore + 40));
  });

  it('is a documented term of the additive rule', () => {
    const base = {
      keywordHits: 0,
      impersonation: false,
      lookalike: false,
      shortener: false,
      contactOrPayment: 0,
      reportCount: 1,
    };
    expect(riskScore({ ...base, knownScam: true }) - riskScore(base)).toBe(40);
  });
});
