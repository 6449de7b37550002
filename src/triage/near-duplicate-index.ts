import {
  NEAR_DUPLICATE_PARAMS,
  bestNearDuplicate,
  type NearDuplicateCandidate,
  type NearDuplicateParams,
  type NearDuplicateSignature,
} from './near-duplicate.js';

/** Where one message was placed by MemoryClusterer. */
export interface ClusterAssignment {
  clusterId: string;
  newCluster: boolean;
  /** How it joined: an exact merge key, a verified near-duplicate, or neither (new cluster). */
  matchedBy: 'key' | 'near_duplicate' | null;
}

/**
 * The intake merge rule (intake.service.ts `ingestPrepared`) over an in-memory index instead of
 * the store, for `scamnet cluster` and `bench/dedup.ts`: a message joins the oldest cluster that
 * holds any of its exact merge keys; else the cluster of the best verified near-duplicate among
 * the texts sharing an LSH band (bestNearDuplicate); else it starts a cluster. Keys are claimed
 * by the first cluster that holds them and texts are stored once, as at intake.
 */
export class MemoryClusterer {
  private readonly keyOwner = new Map<string, string>();
  private readonly clusterOrder = new Map<string, string>();
  private readonly texts = new Map<string, NearDuplicateCandidate>();
  private readonly bands = new Map<string, string[]>();
  private nextOrder = 0;

  constructor(private readonly params: Readonly<NearDuplicateParams> = NEAR_DUPLICATE_PARAMS) {}

  /**
   * Places one message. `keys` are its exact merge keys (`url:…`, `text:…`), `signature` its
   * near-duplicate signature (or null), `newClusterId` the ID to use if it starts a cluster.
   */
  assign(
    keys: readonly string[],
    signature: NearDuplicateSignature | null,
    newClusterId: string,
  ): ClusterAssignment {
    let clusterId: string | undefined;
    let matchedBy: ClusterAssignment['matchedBy'] = null;
    for (const key of keys) {
      const owner = this.keyOwner.get(key);
      if (owner === undefined) continue;
      if (clusterId === undefined || this.orderOf(owner) < this.orderOf(clusterId))
        clusterId = owner;
    }
    if (clusterId !== undefined) matchedBy = 'key';
    if (clusterId === undefined && signature !== null) {
      const match = bestNearDuplicate(signature.text, this.candidates(signature), this.params);
      if (match !== null) {
        clusterId = match.caseId;
        matchedBy = 'near_duplicate';
      }
    }
    const newCluster = clusterId === undefined;
    const target = clusterId ?? newClusterId;
    if (newCluster) this.clusterOrder.set(target, String(this.nextOrder++).padStart(12, '0'));
    for (const key of keys) if (!this.keyOwner.has(key)) this.keyOwner.set(key, target);
    if (signature !== null && !this.texts.has(signature.text)) {
      this.texts.set(signature.text, {
        caseId: target,
        text: signature.text,
        order: this.orderOf(target),
      });
      for (const band of signature.bandKeys) {
        const list = this.bands.get(band);
        if (list === undefined) this.bands.set(band, [signature.text]);
        else list.push(signature.text);
      }
    }
    return { clusterId: target, newCluster, matchedBy };
  }

  private orderOf(clusterId: string): string {
    return this.clusterOrder.get(clusterId) ?? '';
  }

  private candidates(signature: NearDuplicateSignature): NearDuplicateCandidate[] {
    const seen = new Set<string>();
    const out: NearDuplicateCandidate[] = [];
    for (const band of signature.bandKeys) {
      for (const text of this.bands.get(band) ?? []) {
        if (seen.has(text)) continue;
        seen.add(text);
        const candidate = this.texts.get(text);
        if (candidate !== undefined) out.push(candidate);
      }
    }
    return out;
  }
}
