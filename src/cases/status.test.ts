import { describe, expect, it } from 'vitest';
import { statusOf } from './status.js';

import { CASE_STATUSES, STATUS_PRESENTATION } from '../vocabulary/index.js';
const AT = '2026-01-01T00:00:00.000Z';

describe('statusOf', () => {
  it('maps verdicts to public states', () => {
    expect(statusOf('undecided')).toBe('processing');
    expect(statusOf('undecided', { awaitingParty: true })).toBe('awaiting_party');
    expect(statusOf('high_risk')).toBe('high_risk');
    expect(statusOf('not_fraud', { removedAt: AT, platformNotified: true })).toBe('not_fraud');
  });

  it('says a platform was told only when a notice was delivered', () => {
    expect(statusOf('fraud', { platform: 'facebook' })).toBe('fraud_confirmed');
    expect(statusOf('fraud', { platform: 'line', platformNotified: false })).toBe(
      'fraud_confirmed',
    );
    expect(statusOf('fraud', { platform: 'other' })).toBe('fraud_confirmed');
    expect(statusOf('fraud', { platform: 'facebook', platformNotified: true })).toBe(
      'fraud_notified',
    );
    expect(statusOf('fraud', { platform: 'facebook', removedAt: AT })).toBe('fraud_removed');
  });

  it('speaks of blocking, never of a platform, for a fraud website', () => {
    const site = { platform: 'website' };
    expect(statusOf('fraud', site)).toBe('site_confirmed');
    expect(statusOf('fraud', { ...site, platformNotified: true })).toBe('site_confirmed');
    expect(statusOf('fraud', { ...site, blockStates: ['proposed'] })).toBe('block_proposed');
    expect(statusOf('fraud', { ...site, blockStates: ['lifted', 'active'] })).toBe('blocked');
    expect(statusOf('fraud', { ...site, blockStates: ['appealed'] })).toBe('block_appealed');
    expect(statusOf('fraud', { ...site, blockStates: ['expired'] })).toBe('block_lifted');
    expect(statusOf('fraud', { ...site, blockStates: ['lifted'] })).toBe('block_lifted');
    // A publisher's DNS suspension (the 165 list) is a block, not a platform's removal.
    expect(statusOf('fraud', { ...site, removedAt: AT })).toBe('blocked');
    for (const s of CASE_STATUSES.filter((x) => x.startsWith('block') || x === 'site_confirmed')) {
      expect(STATUS_PRESENTATION[s].label['zh-TW']).not.toContain('平台');
      expect(STATUS_PRESENTATION[s].label.en).not.toContain('platform');
    }
    expect(STATUS_PRESENTATION.blocked.label['zh-TW']).toBe('詐騙網站，已停止解析');
  });

  it('gives every state a label and colour (DESIGN.md for its six)', () => {
    expect(Object.keys(STATUS_PRESENTATION).sort()).toEqual([...CASE_STATUSES].sort());
    expect(STATUS_PRESENTATION.fraud_removed).toEqual({
      label: { 'zh-TW': '詐騙訊息，平台已移除', en: 'Scam — removed by the platform' },
      colour: 'red',
    });
    expect(STATUS_PRESENTATION.awaiting_party.colour).toBe('yellow');
    expect(STATUS_PRESENTATION.not_fraud.label['zh-TW']).toBe('非詐騙訊息');
    expect(STATUS_PRESENTATION.fraud_confirmed.label['zh-TW']).toBe('詐騙訊息，尚未通知平台');
  });
});
