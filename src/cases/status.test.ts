import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, STATUS_PRESENTATION, statusOf } from './status.js';

describe('statusOf', () => {
  it('maps verdicts to public states', () => {
    expect(statusOf('undecided', null)).toBe('processing');
    expect(statusOf('high_risk', null)).toBe('high_risk');
    expect(statusOf('not_fraud', '2026-01-01T00:00:00.000Z')).toBe('not_fraud');
    expect(statusOf('fraud', null)).toBe('fraud_notified');
    expect(statusOf('fraud', '2026-01-01T00:00:00.000Z')).toBe('fraud_removed');
  });

  it('gives every state the DESIGN.md label and colour', () => {
    expect(Object.keys(STATUS_PRESENTATION).sort()).toEqual([...CASE_STATUSES].sort());
    expect(STATUS_PRESENTATION.fraud_removed).toEqual({
      label: { 'zh-TW': '詐騙訊息，平台已移除', en: 'Scam — removed by the platform' },
      colour: 'red',
    });
    expect(STATUS_PRESENTATION.awaiting_party.colour).toBe('yellow');
    expect(STATUS_PRESENTATION.not_fraud.label['zh-TW']).toBe('非詐騙訊息');
  });
});
