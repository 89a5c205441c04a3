#!/usr/bin/python3
"""Is anything else using the CPUs while we measure? On a shared 2-core machine one busy process
makes every 2-thread figure meaningless, so bench/run_bench.sh waits for a quiet machine before each
benchmark and reports afterwards how much CPU other processes took meanwhile. Standard library only.

  cpu_load.py --info LABEL             RESULT env.cpu (model, cores) and env.cpu_busy_pct.LABEL
                                       (busy % of all CPUs over one second, 1-minute load)
  cpu_load.py --wait-quiet MAX_S       poll until under --below % busy; exit 1 if still busy after MAX_S
  cpu_load.py --begin FILE --pid PID   note the CPU time so far of all CPUs and of PID's process tree
  cpu_load.py --end FILE --pid PID --label LABEL
                                       RESULT env.foreign_cpu_pct.LABEL: CPU used since --begin by
                                       processes outside PID's tree (its finished children included
                                       through cutime/cstime), as % of all CPUs; marked SUSPECT and
                                       warned about above --below
"""
import argparse
import os
import sys
import time


def all_cpus():
    """(total jiffies, busy jiffies) of all CPUs since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v), sum(v) - v[3] - v[4]   # idle and iowait are not busy


def tree_jiffies(pid):
    """utime + stime + cutime + cstime of pid."""
    with open("/proc/%d/stat" % pid) as f:
        text = f.read()
    return sum(int(x) for x in text[text.rindex(")") + 2:].split()[11:15])


def busy_percent(seconds):
    t0, b0 = all_cpus()
    time.sleep(seconds)
    t1, b1 = all_cpus()
    return 100.0 * (b1 - b0) / max(1, t1 - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--info", metavar="LABEL")
    ap.add_argument("--wait-quiet", type=float, metavar="MAX_S")
    ap.add_argument("--begin", metavar="FILE")
    ap.add_argument("--end", metavar="FILE")
    ap.add_argument("--pid", type=int, default=os.getppid())
    ap.add_argument("--label", default="run")
    ap.add_argument("--below", type=float, default=5.0, help="busy %% counted as quiet (default 5)")
    a = ap.parse_args()

    if a.info:
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
        print("RESULT impl=system figure=env.cpu value=%d unit=cpus model=%s" % (os.cpu_count(), model.replace(" ", "_")))
        print("RESULT impl=system figure=env.cpu_busy_pct.%s value=%.1f unit=%% load1=%s"
              % (a.info, busy_percent(1.0), open("/proc/loadavg").read().split()[0]), flush=True)
        return 0
    if a.wait_quiet is not None:
        start = time.time()
        while True:
            busy = busy_percent(2.0)
            if busy < a.below:
                return 0
            if time.time() - start > a.wait_quiet:
                print("# WARNING: still %.0f %% busy after %.0f s; measuring anyway" % (busy, a.wait_quiet), file=sys.stderr)
                return 1
            print("# waiting for a quiet machine (%.0f %% busy)" % busy, file=sys.stderr, flush=True)
    if a.begin:
        total, busy = all_cpus()
        with open(a.begin, "w") as f:
            f.write("%d %d %d %f\n" % (total, busy, tree_jiffies(a.pid), time.time()))
        return 0
    if a.end:
        total, busy = all_cpus()
        with open(a.end) as f:
            t0, b0, own0, wall0 = f.read().split()
        foreign = max(0, (busy - int(b0)) - (tree_jiffies(a.pid) - int(own0)))
        pct = 100.0 * foreign / max(1, total - int(t0))
        suspect = pct > a.below
        print("RESULT impl=system figure=env.foreign_cpu_pct.%s value=%.1f unit=%% wall_s=%.0f note=%s"
              % (a.label, pct, time.time() - float(wall0), "SUSPECT" if suspect else "quiet"), flush=True)
        if suspect:
            print("# WARNING: other processes used %.0f %% of the CPUs during %s" % (pct, a.label), file=sys.stderr)
        return 0
    ap.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
