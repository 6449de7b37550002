import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyText, decideScam, trainScamClassifier } from './classifier.js';
import { loadScamClassifier, saveScamClassifier } from './model-file.js';
import type { LabelledRow } from './dataset.js';
import { scores } from './evaluate.js';
import { predictNaiveBayes, trainNaiveBayes } from './naive-bayes.js';

const row = (id: string, text: string, scam: boolean, scamType: LabelledRow['scamType']) => ({
  id,
  source: 'written' as const,
  text,
  scam,
  scamType,
  rule: 'test',
  heldOut: false,
});

describe('naive Bayes', () => {
  it('learns which class a feature belongs to and gives probabilities that sum to 1', () => {
    const model = trainNaiveBayes(
      [
        { features: ['投資', '獲利'], label: 'scam' },
        { features: ['投資', '帶單'], label: 'scam' },
        { features: ['天氣', '晴朗'], label: 'not_scam' },
        { features: ['天氣', '下雨'], label: 'not_scam' },
      ],
      1,
      1,
    );
    const p = predictNaiveBayes(model, ['投資']);
    expect(p.find((x) => x.label === 'scam')?.probability).toBeGreaterThan(0.7);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 10 }), (features) => {
        const sum = predictNaiveBayes(model, features).reduce((s, x) => s + x.probability, 0);
        expect(sum).toBeCloseTo(1, 9);
      }),
    );
  });

  it('is the same model whatever the order of the examples', () => {
    const examples = [
      { features: ['a', 'b'], label: 'x' },
      { features: ['b', 'c'], label: 'y' },
      { features: ['a', 'c'], label: 'x' },
    ];
    expect(trainNaiveBayes([...examples].reverse(), 1, 1)).toEqual(trainNaiveBayes(examples, 1, 1));
  });
});

describe('scam classifier', () => {
  const rows = [
    row('1', '股市老師帶單保證獲利加入群組', true, 'investment'),
    row('2', '老師帶單飆股穩賺不賠', true, 'investment'),
    row('3', '恭喜中獎請點連結領取獎品', true, 'windfall'),
    row('4', '免費貼圖限時領取恭喜', true, 'windfall'),
    row('5', '今天天氣晴朗適合出門散步', false, null),
    row('6', '多喝水有益健康每天八杯', false, null),
    row('7', '天氣變冷記得多穿衣服', false, null),
    row('8', '健康飲食多吃蔬菜水果', false, null),
  ];
  const model = trainScamClassifier(rows);

  it('gives a scam probability and a scam type', () => {
    const scam = classifyText(model, '老師帶單保證獲利');
    expect(scam.scam).toBeGreaterThan(0.5);
    expect(scam.scamType).toBe('investment');
    expect(classifyText(model, '天氣晴朗多喝水').scam).toBeLessThan(0.5);
    const any = classifyText(model, '');
    expect(any.scam).toBeGreaterThanOrEqual(0);
    expect(any.confidence).toBeLessThanOrEqual(1);
  });

  it('never trains on held-out rows', () => {
    const held = trainScamClassifier([
      ...rows,
      { ...row('9', '獨特字詞甲乙丙', true, 'job'), heldOut: true },
    ]);
    expect(held.scamType.classes).not.toContain('job');
    expect(held.trainedOn).toEqual({ written: 8 });
  });
});

describe('choosing model or rules per class', () => {
  // Extortion rows each carry a different keyword of the rules and otherwise the words of the
  // romance rows, so a model trained without the row takes it for romance; romance rows share
  // words the rules lack.
  const rows = [
    row('e1', '和你聊天做朋友的裸照', true, 'extortion'),
    row('e2', '做朋友聊天的不雅畫面', true, 'extortion'),
    row('e3', '聊天做朋友影片外流', true, 'extortion'),
    row('e4', '和你做朋友聊天再勒索', true, 'extortion'),
    row('e5', '聊天做朋友準備贖金', true, 'extortion'),
    row('r1', '想和你聊天做朋友好嗎', true, 'romance'),
    row('r2', '和你聊天很開心做朋友吧', true, 'romance'),
    row('r3', '做朋友好嗎每天聊天', true, 'romance'),
    row('r4', '聊天做朋友想念你', true, 'romance'),
    row('r5', '好想和你做朋友聊天', true, 'romance'),
    row('n1', '今天天氣晴朗適合出門散步', false, null),
    row('n2', '多喝水有益健康每天八杯', false, null),
    row('n3', '天氣變冷記得多穿衣服', false, null),
    row('n4', '健康飲食多吃蔬菜水果', false, null),
    row('n5', '週末天氣好去公園散步', false, null),
  ];
  const model = trainScamClassifier([
    ...rows,
    { ...row('held', '勒索勒索勒索', true, 'romance'), heldOut: true },
  ]);

  it('gives the rules the classes where their validation F1 is higher, the model the rest', () => {
    const extortion = model.validation.scamType.perClass.find((c) => c.label === 'extortion');
    const romance = model.validation.scamType.perClass.find((c) => c.label === 'romance');
    expect(extortion?.rules).toBeGreaterThan(extortion?.model ?? 1);
    expect(romance?.model).toBeGreaterThan(romance?.rules ?? 1);
    expect(model.ruleClasses).toContain('extortion');
    expect(model.ruleClasses).not.toContain('romance');
    expect(model.validation.rows).toBe(rows.length);
    expect(model.validation.scamType.combined).toBeGreaterThanOrEqual(
      Math.max(model.validation.scamType.model, model.validation.scamType.rules) - 1e-9,
    );
    const decided = decideScam(model, '小心你的裸照');
    expect(decided).toMatchObject({ scamType: 'extortion', scamTypeSource: 'rules' });
    expect(decideScam(model, '想和你做朋友')).toMatchObject({
      scamType: 'romance',
      scamTypeSource: 'model',
    });
  });

  it('keeps the choice in the model file it writes and reads', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-model-'));
    try {
      const file = path.join(dir, 'model.json');
      saveScamClassifier(file, model);
      const loaded = loadScamClassifier(file);
      expect(loaded.ruleClasses).toEqual(model.ruleClasses);
      expect(loaded.validation).toEqual(model.validation);
      expect(loaded.params).toEqual(model.params);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scores', () => {
  it('computes precision, recall, F1 and macro-F1', () => {
    const s = scores(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b'], ['a', 'b']);
    const a = s.perClass.find((c) => c.label === 'a');
    expect(a).toEqual({ label: 'a', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(s.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 9);
  });
});
