#!/usr/bin/env python3
"""Checks that every #include in Timbrescope's sources goes the right way between layers.

Usage: check_layering.py REPO_ROOT     (exit 1 and one line per violation when a rule is broken)
       check_layering.py --self-test   (plants one violation of each kind in a scratch tree and
                                        fails unless each is reported)

The rules, as a table: a file in FOLDER may include project headers only from the folders listed
for it, and the third-party headers listed for it. Folders are matched longest first.
"""
import os
import re
import sys
import tempfile

CORE_PUBLIC = ["util/", "audio/", "dsp/", "dataset/", "synth/"]
QT = "Qt"  # any <Q...> or <Qt...> header

# folder: (project include prefixes allowed, third-party groups allowed). Only core/ml/detail, the
# LibTorch runtime library's sources, may use torch: the rest of ml is the torch-free front.
RULES = {
    "core/util/": (["util/"], []),
    "core/audio/": (["audio/", "util/"], ["sndfile", "soxr"]),
    "core/dsp/": (["dsp/", "util/"], ["fftw"]),
    "core/dataset/": (["dataset/", "audio/", "dsp/", "util/"], []),
    "core/synth/": (["synth/", "audio/", "dataset/", "util/"], ["fluidsynth", "stk", "soxr"]),
    "core/ml/": (["ml/", "audio/", "dsp/", "dataset/", "util/"], []),
    "core/ml/detail/": (["ml/", "audio/", "dsp/", "dataset/", "util/"], ["torch"]),
    "core/map/": (["map/", "ml/", "audio/", "dsp/", "dataset/", "util/"], ["faiss"]),
    "ui/common/": (["ui/common/"] + CORE_PUBLIC, [QT]),
    "ui/sound/": (["ui/sound/", "ui/common/"] + CORE_PUBLIC, [QT]),
    "ui/library/": (["ui/library/", "ui/common/"] + CORE_PUBLIC, [QT]),
    "ui/prediction/": (["ui/prediction/", "ui/sound/", "ui/common/", "ml/"] + CORE_PUBLIC, [QT]),
    "ui/training/": (["ui/training/", "ui/common/", "ml/"] + CORE_PUBLIC, [QT]),
    "ui/evaluation/": (["ui/evaluation/", "ui/sound/", "ui/common/", "ml/"] + CORE_PUBLIC, [QT]),
    "ui/map/": (["ui/map/", "ui/common/", "ml/", "map/"] + CORE_PUBLIC, [QT]),
    "ui/live/": (["ui/live/", "ui/sound/", "ui/common/", "ml/"] + CORE_PUBLIC, [QT]),
    "ui/app/": (["ui/", "ml/"] + CORE_PUBLIC, [QT]),
    "app/": (["cli/", "ui/app/", "ml/", "map/"] + CORE_PUBLIC, [QT]),
    # The fuzz harnesses are built without Qt and LibTorch (docs/FUZZING.md); the seed generator
    # writes the audio formats with libsndfile.
    "fuzz/": (["ml/"] + CORE_PUBLIC, ["sndfile"]),
}

# Private headers: who may include them (besides their own module's sources).
PRIVATE = {
    "ml/detail/": ["core/ml/", "tests/ml/tst_FastLayers.cpp", "tests/ml/tst_TrainingAugmentation.cpp"],
    "dataset/detail/": ["core/dataset/"],
    "dsp/detail/": ["core/dsp/"],
    "synth/detail/": ["core/synth/"],
}

THIRD_PARTY = {
    "torch": re.compile(r"^(torch/|ATen/|c10/)"),
    "fftw": re.compile(r"^fftw3"),
    "faiss": re.compile(r"^faiss/"),
    "fluidsynth": re.compile(r"^fluidsynth"),
    "stk": re.compile(r"^stk/"),
    "sndfile": re.compile(r"^sndfile"),
    "soxr": re.compile(r"^soxr"),
    QT: re.compile(r"^Q[A-Za-z]*(/|$)|^Qt"),
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
PROJECT_PREFIXES = ("util/", "audio/", "dsp/", "dataset/", "synth/", "ml/", "map/", "ui/", "cli/")


def rule_for(path):
    best = None
    for folder in RULES:
        if path.startswith(folder) and (best is None or len(folder) > len(best)):
            best = folder
    return best


def check_file(rel, text):
    problems = []
    folder = rule_for(rel)
    for m in INCLUDE.finditer(text):
        header = m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        where = f"{rel}:{line}: #include {m.group(1)}{header}{'>' if m.group(1) == '<' else chr(34)}"
        for prefix, allowed in PRIVATE.items():
            if header.startswith(prefix) and not any(rel.startswith(a) for a in allowed):
                problems.append(f"{where}: private header of {prefix[:-1]}")
        if folder is None:
            continue
        project, third = RULES[folder]
        if m.group(1) == '"' and header.startswith(PROJECT_PREFIXES):
            if not any(header.startswith(p) for p in project):
                problems.append(f"{where}: {folder} may include only {', '.join(project)}")
        for group, pattern in THIRD_PARTY.items():
            if pattern.match(header) and group not in third:
                problems.append(f"{where}: {folder} may not use {group}")
    return problems


def check_tree(root):
    problems = []
    for top in ("core", "ui", "app", "tests", "bench", "fuzz"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, encoding="utf-8", errors="replace") as f:
                    problems += check_file(rel, f.read())
    return problems


def self_test():
    planted = {
        "core/util/A.cpp": '#include "audio/AudioFile.h"\n',            # util sees nothing above it
        "core/dataset/B.cpp": '#include "synth/RenderPlan.h"\n',        # dataset below synth
        "core/dataset/C.cpp": "#include <QString>\n",                    # Qt in core
        "core/ml/D.h": "#include <torch/torch.h>\n",                     # torch in a public ml header
        "core/ml/N.cpp": "#include <ATen/ATen.h>\n",                     # torch in the front
        "core/audio/E.cpp": "#include <fftw3.h>\n",                       # FFTW outside dsp
        "ui/training/F.cpp": '#include "ui/evaluation/EvaluationPanel.h"\n',  # feature to feature
        "ui/sound/G.cpp": '#include "ml/Predictor.h"\n',                # sound never sees ml
        "ui/common/H.cpp": '#include "ui/sound/WaveformView.h"\n',      # common is the bottom
        "app/I.cpp": '#include "ml/detail/Network.h"\n',                # private ml header
        "tests/core/J.cpp": '#include "synth/detail/LoadedSoundFontImpl.h"\n',  # private synth header
        "fuzz/fuzz_O.cpp": "#include <QByteArray>\n",                   # the fuzzing build has no Qt
        "fuzz/fuzz_P.cpp": '#include "ml/detail/TorchRuntime.h"\n',     # nor LibTorch
    }
    fine = {
        "core/ml/detail/K.h": "#include <torch/torch.h>\n#include \"dataset/Dataset.h\"\n",
        "ui/evaluation/L.cpp": '#include "ui/sound/SoundViewPanel.h"\n#include "ml/Evaluator.h"\n#include <QWidget>\n',
        "ui/app/M.cpp": '#include "ui/training/TrainingPanel.h"\n',
        "tests/ml/tst_FastLayers.cpp": '#include "ml/detail/FastLayers.h"\n',
        "fuzz/fuzz_Q.cpp": '#include "ml/ModelFile.h"\n#include "synth/SoundFontIndex.h"\n#include <sndfile.h>\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in {**planted, **fine}.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        problems = check_tree(root)
    failed = False
    for rel in planted:
        if not any(p.startswith(rel + ":") for p in problems):
            print(f"self-test: the planted violation in {rel} was not reported")
            failed = True
    for rel in fine:
        for p in problems:
            if p.startswith(rel + ":"):
                print(f"self-test: an allowed include was reported: {p}")
                failed = True
    print("self-test:", "FAILED" if failed else f"all {len(planted)} planted violations reported")
    return 1 if failed else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = check_tree(argv[1])
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
