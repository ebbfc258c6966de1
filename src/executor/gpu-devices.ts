// The accelerator device nodes of this machine (NVIDIA, DRM, AMD KFD), which a jail passes through unchanged.
import { readdirSync } from 'node:fs';

/** `/dev/nvidia*` (with nvidia-caps, -uvm, -modeset), `/dev/dri` and `/dev/kfd`, those present here. */
export function gpuDevices(): string[] {
  return readdirSync('/dev')
    .filter((name) => name.startsWith('nvidia') || name === 'dri' || name === 'kfd')
    .sort()
    .map((name) => `/dev/${name}`);
}
