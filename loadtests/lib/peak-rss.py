# peak-rss.py <pid> <out>: samples the process's VmRSS every 100 ms; on SIGTERM (or when the process is
# gone) writes the largest value seen, in KiB, to <out>. Shared by the memory benchmarks.
import signal, sys, time
pid, out = sys.argv[1], sys.argv[2]
peak = 0
def stop(*_):
    open(out, "w").write(f"{peak}\n"); sys.exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                peak = max(peak, int(line.split()[1]))
    except FileNotFoundError:
        stop()
    time.sleep(0.1)
