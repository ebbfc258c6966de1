// Search settings: what Level 1.5 controls and the proposer must respect.

export interface SearchSettings {
  /** Params the proposer must not change (enforced by the screen, not by the prompt). */
  frozen: string[];
  /** `explore`: wide moves; `exploit`: small moves around the incumbent. */
  strategy: 'explore' | 'exploit' | 'balanced';
  /** Free-text guidance appended to the proposer's prompt. */
  guidance: string;
}

export const defaultSearchSettings: SearchSettings = Object.freeze({
  frozen: [],
  strategy: 'balanced',
  guidance: '',
}) as SearchSettings;
