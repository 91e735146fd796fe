import { readFileSync } from 'node:fs';

/** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

function busyTicks(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user + nice + system + irq + softirq
    return (fields[0] ?? 0) + (fields[1] ?? 0) + (fields[2] ?? 0) + (fields[5] ?? 0) + (fields[6] ?? 0);
  } catch {
    return null;
  }
}

export interface LoadSample {
  /** Average number of cores kept busy by other processes during the window; null off Linux. */
  otherCores: number | null;
  /** This process's CPU seconds (user + system) during the window. */
  ownCpuSeconds: number;
  wallSeconds: number;
}

/** Measures how busy the machine was with other work, the way ../shared/peers/cpumon.py does. */
export function startLoadMonitor(): () => LoadSample {
  const busy0 = busyTicks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const busy1 = busyTicks();
    const cpu = process.cpuUsage(cpu0);
    const wallSeconds = (performance.now() - t0) / 1000;
    const ownCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const otherCores =
      busy0 === null || busy1 === null || wallSeconds <= 0
        ? null
        : Math.max(0, (busy1 - busy0) / TICKS_PER_SECOND - ownCpuSeconds) / wallSeconds;
    return { otherCores, ownCpuSeconds, wallSeconds };
  };
}
