import { describe, expect, it } from 'vitest';
import { trialEnvironment } from './trial-environment.js';

const host = {
  PATH: '/usr/bin',
  HOME: '/home/ada',
  LANG: 'en_US.UTF-8',
  LC_ALL: 'C',
  CUDA_VISIBLE_DEVICES: '0',
  PYTHONPATH: '/opt/lib',
  UV_CACHE_DIR: '/home/ada/.cache/uv',
  OMP_NUM_THREADS: '4',
  OPENAI_API_KEY: 'sk-live-0123456789abcdefghij',
  ANTHROPIC_API_KEY: 'sk-ant-0123456789abcdefghij',
  AWS_SECRET_ACCESS_KEY: 'abc',
  GITHUB_TOKEN: 'ghp_x',
  SSH_AUTH_SOCK: '/run/user/1000/ssh',
  WANDB_API_KEY: 'w-123',
  UV_PUBLISH_TOKEN: 'pypi-x',
  UV_INDEX_URL: 'https://ada:hunter2@pypi.example/simple',
  BILEVEL_LLM: 'openai:gpt',
  EDITOR: 'vim',
};

describe('trialEnvironment', () => {
  it('passes the allowlist, withholds credential-like names and values, drops everything else', () => {
    const result = trialEnvironment(host, { env: {}, passEnv: [] }, { BILEVEL_SEED: '1' });
    expect(result.env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/ada',
      LANG: 'en_US.UTF-8',
      LC_ALL: 'C',
      CUDA_VISIBLE_DEVICES: '0',
      PYTHONPATH: '/opt/lib',
      UV_CACHE_DIR: '/home/ada/.cache/uv',
      OMP_NUM_THREADS: '4',
      BILEVEL_SEED: '1',
    });
    expect(result.withheld).toEqual([
      'ANTHROPIC_API_KEY',
      'AWS_SECRET_ACCESS_KEY',
      'GITHUB_TOKEN',
      'OPENAI_API_KEY',
      'SSH_AUTH_SOCK',
      'UV_INDEX_URL',
      'UV_PUBLISH_TOKEN',
      'WANDB_API_KEY',
    ]);
    expect(JSON.stringify(result.env)).not.toMatch(/sk-|hunter2|ghp_|w-123/);
  });

  it("passes what the task names in passEnv, sets its env values, and lets the loop's variables win", () => {
    const result = trialEnvironment(
      host,
      { env: { HF_HOME: '/data/hf', PATH: '/task/bin' }, passEnv: ['WANDB_API_KEY', 'NOT_SET'] },
      { BILEVEL_SEED: '2', TMPDIR: '/tmp' },
    );
    expect(result.env.WANDB_API_KEY).toBe('w-123');
    expect(result.env.HF_HOME).toBe('/data/hf');
    expect(result.env.PATH).toBe('/task/bin');
    expect(result.env.TMPDIR).toBe('/tmp');
    expect(result.missing).toEqual(['NOT_SET']);
    expect(result.passed).toContain('WANDB_API_KEY');
    expect(result.withheld).not.toContain('WANDB_API_KEY');
    expect(result.env.OPENAI_API_KEY).toBeUndefined();
  });
});
