// Whether a process id names a live process (the run's driver, a trial's process group).

/** True when a process with this id exists: signal 0 checks without sending anything; EPERM means it exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
