#!/usr/bin/env python3
"""Start-up figures of the timbrescope binary, next to what a Python PyTorch tool pays to start.

Usage: bench/run_startup_bench.py [--bin DIR] [--baseline DIR] [--runs N] [--sound FILE]

Figures (median of N runs, wall clock, each run a fresh process):
  version   `timbrescope --version`
  info      `timbrescope info FILE` on a 4 s, 16 kHz WAV (written here unless --sound is given)
  window    from starting `timbrescope` (the GUI) to its main window being mapped on an Xvfb screen,
            polled every 5 ms with xwininfo; settings and data folders are empty temporary ones
  peer      `python3 -c "import torch"`: what any Python PyTorch tool pays before its first line
--baseline DIR measures another build's binary the same way in the same session (before/after).
Prints `RESULT impl=... figure=... value=... unit=ms` lines and a table.
"""
import argparse
import math
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import wave


def write_tone(path):
    rate, seconds = 16000, 4
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for i in range(rate * seconds):
            frames += struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
        w.writeframes(bytes(frames))


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return (time.perf_counter() - start) * 1000.0


def window_mapped(display, title):
    """Whether a window whose name contains `title` is viewable (created and mapped) on `display`."""
    out = subprocess.run(["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if title in line and fields and fields[0].startswith("0x"):
            state = subprocess.run(["xwininfo", "-id", fields[0], "-display", display],
                                   capture_output=True, text=True).stdout
            if "IsViewable" in state:
                return True
    return False


def window_time(binary, display, scratch):
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[var] = tempfile.mkdtemp(dir=scratch)
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 30:
            if window_mapped(display, "Timbrescope"):
                return (time.perf_counter() - start) * 1000.0
            if proc.poll() is not None:
                return float("nan")
            time.sleep(0.005)
        return float("nan")
    finally:
        proc.kill()
        proc.wait()


def start_xvfb(scratch):
    for n in range(90, 120):
        if os.path.exists(f"/tmp/.X11-unix/X{n}"):
            continue
        proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if subprocess.run(["xwininfo", "-root", "-display", f":{n}"], capture_output=True).returncode == 0:
                return proc, f":{n}"
            time.sleep(0.02)
        proc.kill()
    sys.exit("no Xvfb display could be started (install xvfb and x11-utils)")


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/bin", help="folder holding timbrescope (default build/bin)")
    ap.add_argument("--baseline", help="another build's bin folder, measured the same way")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sound", help="a 4 s sound file for `info` (default: a 440 Hz tone written here)")
    ap.add_argument("--no-gui", action="store_true", help="skip the window figure")
    args = ap.parse_args()

    scratch = tempfile.mkdtemp(prefix="ts-startup-")
    sound = args.sound or os.path.join(scratch, "tone.wav")
    if not args.sound:
        write_tone(sound)
    builds = [("app", os.path.join(args.bin, "timbrescope"))]
    if args.baseline:
        builds.append(("baseline", os.path.join(args.baseline, "timbrescope")))
    xvfb, display = (None, None) if args.no_gui else start_xvfb(scratch)
    results = {}
    try:
        for run in range(args.runs + 1):  # the first round warms the page cache and is not counted
            for impl, binary in builds:
                figures = {
                    "version": timed([binary, "--version"]),
                    "info": timed([binary, "info", sound]),
                }
                if display:
                    figures["window"] = window_time(binary, display, scratch)
                if run > 0:
                    for name, value in figures.items():
                        results.setdefault((impl, name), []).append(value)
            peer = timed(["/usr/bin/python3", "-c", "import torch"])
            if run > 0:
                results.setdefault(("py-torch", "import"), []).append(peer)
    finally:
        if xvfb:
            xvfb.kill()
        shutil.rmtree(scratch, ignore_errors=True)

    for (impl, name), values in sorted(results.items()):
        print(f"RESULT impl={impl} figure=startup_{name} value={median(values):.1f} unit=ms "
              f"min={min(values):.1f} max={max(values):.1f} runs={len(values)}")
    peer = median(results[("py-torch", "import")])
    print(f"\n{'figure':<34}{'median ms':>10}{'  peer (import torch) / this':>30}")
    for (impl, name), values in sorted(results.items()):
        if impl == "py-torch":
            continue
        m = median(values)
        print(f"{impl + ' ' + name:<34}{m:>10.1f}{peer / m:>29.1f}x")
    label = 'python3 -c "import torch"'
    print(f"{label:<34}{peer:>10.1f}")


if __name__ == "__main__":
    main()
