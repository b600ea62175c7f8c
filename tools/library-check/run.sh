#!/usr/bin/env bash
# Proves README's "Using Aleph from Java": builds the section's snippet as a new Maven project in a
# temporary folder, offline, against the Aleph artifacts installed in ~/.m2 (run `mvn install`
# first), then runs it on the class path and on the module path and checks every number it prints
# against closed forms computed here independently (python3 + NumPy): the arc-cosine kernel of
# Cho & Saul (2009) for the one-hidden-layer Relu NNGP and NTK, the GP posterior and the
# gradient-descent ensemble (Lee et al. 2019) from those kernels. Also checks that the copy-paste
# pom of examples/activation-plugin/README.md is byte for byte that example's pom.xml.
#
#   tools/library-check/run.sh            # exit 0 when everything agrees; messages on stderr
#   KEEP=1 tools/library-check/run.sh     # keep the temporary project (its path is printed)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/aleph-library-check.XXXXXX")"
if [ "${KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$work"' EXIT
fi
fail() { echo "library-check: $*" >&2; exit 1; }

# 1. The code blocks of README's section, by content: the <dependencies> block, the Main class and
#    the module declaration (so that README and this check cannot drift apart).
python3 - "$root/README.md" "$work" <<'PY' || fail "README.md: the section 'Using Aleph from Java' or one of its code blocks is missing"
import os, re, sys
readme, work = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
m = re.search(r"^## Using Aleph from Java\n(.*?)(?=^## |\Z)", text, re.S | re.M)
if not m:
    sys.exit("no section")
blocks = re.findall(r"^```(\w*)\n(.*?)^```", m.group(1), re.S | re.M)
deps = [b for lang, b in blocks if lang == "xml" and "<dependencies>" in b]
main = [b for lang, b in blocks if lang == "java" and "public class Main" in b]
module = [b for lang, b in blocks if lang == "java" and b.lstrip().startswith("module ")]
if len(deps) != 1 or len(main) != 1 or len(module) != 1:
    sys.exit("blocks: %d dependencies, %d Main, %d module" % (len(deps), len(main), len(module)))
os.makedirs(work + "/src/main/java/example")
open(work + "/deps.xml", "w").write(deps[0])
open(work + "/src/main/java/example/Main.java", "w").write(main[0])
open(work + "/src/main/java/module-info.java", "w").write(module[0])
PY

# 2. A fresh project around them; plugin versions pinned to the ones Aleph's own build uses, so
#    that the offline build finds them in ~/.m2.
pom_version() { sed -n "s:.*<artifactId>$1</artifactId><version>\([^<]*\)</version>.*:\1:p" "$root/pom.xml" | head -1; }
{
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>aleph-library-check</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
XML
    cat "$work/deps.xml"
    cat <<XML
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>$(pom_version maven-resources-plugin)</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>$(pom_version maven-compiler-plugin)</version></plugin>
      <plugin><artifactId>maven-surefire-plugin</artifactId><version>$(pom_version maven-surefire-plugin)</version></plugin>
      <plugin><artifactId>maven-jar-plugin</artifactId><version>$(pom_version maven-jar-plugin)</version></plugin>
      <plugin><artifactId>maven-dependency-plugin</artifactId><version>$(pom_version maven-dependency-plugin)</version>
        <executions><execution><id>lib</id><phase>package</phase><goals><goal>copy-dependencies</goal></goals>
          <configuration><includeScope>runtime</includeScope><outputDirectory>\${project.build.directory}/lib</outputDirectory></configuration>
        </execution></executions></plugin>
    </plugins>
  </build>
</project>
XML
} > "$work/pom.xml"
[ "${KEEP:-0}" = 1 ] && echo "library-check: project in $work" >&2

if ! (cd "$work" && mvn -B -o -q package > build.log 2>&1); then
    cat "$work/build.log" >&2
    fail "the README snippet does not build offline against ~/.m2 (run mvn install in $root first)"
fi

# 3. Both paths, as README writes them (lib = target/lib here).
cd "$work"
java -cp "target/classes:target/lib/*" example.Main "$work/K-cp.npy" > out-cp.txt 2> err-cp.txt \
    || { cat err-cp.txt >&2; fail "the snippet failed on the class path"; }
java -p "target/classes:target/lib" -m example/example.Main "$work/K-mp.npy" > out-mp.txt 2> err-mp.txt \
    || { cat err-mp.txt >&2; fail "the snippet failed on the module path"; }
cmp -s out-cp.txt out-mp.txt || fail "class path and module path print different numbers: $(paste -d'|' out-cp.txt out-mp.txt)"

# 4. Every printed number against the closed forms.
python3 - out-cp.txt K-cp.npy K-mp.npy <<'PY' || fail "the snippet's numbers disagree with the closed forms (above)"
import math, re, sys
import numpy as np
out = open(sys.argv[1]).read()
got = dict((k, float(v)) for k, v in (line.rsplit(" = ", 1) for line in out.splitlines() if " = " in line))

W2, B2 = 1.5 ** 2, 0.05 ** 2            # Dense(1.5, 0.05) Relu Dense(1, 0)
X = np.array([[1, 0], [0.6, 0.8], [-1, 0.5]])
T = np.array([[0.8, 0.6]])
y = np.array([[1], [0.5], [-1]])

def kernels(A, B):
    """NNGP and NTK by the arc-cosine closed form (Cho & Saul 2009; NTK as Jacot et al. 2018)."""
    q12 = W2 * (A @ B.T) / A.shape[1] + B2
    q11 = W2 * np.sum(A * A, 1) / A.shape[1] + B2
    q22 = W2 * np.sum(B * B, 1) / B.shape[1] + B2
    norm = np.sqrt(np.outer(q11, q22))
    th = np.arccos(np.clip(q12 / norm, -1, 1))
    nngp = norm / (2 * math.pi) * (np.sin(th) + (math.pi - th) * np.cos(th))
    ntk = nngp + q12 * (math.pi - th) / (2 * math.pi)
    return nngp, ntk

K, Th = kernels(X, X)
Ks, Ths = kernels(T, X)
Kss, _ = kernels(T, T)
want = {"nngp(x0, x1)": K[0, 1], "ntk(x0, x1)": Th[0, 1]}
A = K + 1e-4 * np.mean(np.diag(K)) * np.eye(3)          # GP posterior (Rasmussen & Williams eq. 2.25-2.26)
want["gp mean"] = (Ks @ np.linalg.solve(A, y))[0, 0]
want["gp variance"] = (Kss - Ks @ np.linalg.solve(A, Ks.T))[0, 0]
lam, V = np.linalg.eigh(Th + 1e-4 * np.mean(np.diag(Th)) * np.eye(3))
s = 1.0 * 10 / y.size                                    # s = eta t / N
want["ensemble mean at t = 10.0"] = (Ths @ V @ np.diag((1 - np.exp(-lam * s)) / lam) @ V.T @ y)[0, 0]
want["ensemble mean at t = Infinity"] = (Ths @ V @ np.diag(1 / lam) @ V.T @ y)[0, 0]
bad = 0
for key, w in want.items():
    g = got.get(key)
    tol = 1e-12 if key.startswith(("nngp", "ntk")) else 1e-9
    ok = g is not None and abs(g - w) <= tol * max(1.0, abs(w))
    bad += not ok
    print("library-check: %-20s Aleph %-22s closed form %.17g %s" % (key, g, w, "ok" if ok else "DIFFERENT"), file=sys.stderr)
for f in sys.argv[2:]:
    k = np.load(f)
    ok = k.shape == (3, 3) and np.allclose(k, K, rtol=1e-12, atol=0)
    bad += not ok
    print("library-check: %s %s" % (f.split("/")[-1], "= the closed-form NNGP" if ok else "DIFFERENT from the closed-form NNGP"), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# 5. The plug-in example: the README's pom is the example's pom.xml.
python3 - "$root/examples/activation-plugin" <<'PY' || fail "examples/activation-plugin/README.md: its pom block differs from pom.xml (make them the same)"
import re, sys
d = sys.argv[1]
readme = open(d + "/README.md", encoding="utf-8").read()
poms = [b for b in re.findall(r"^```xml\n(.*?)^```", readme, re.S | re.M) if "<project" in b]
pom = open(d + "/pom.xml", encoding="utf-8").read()
if len(poms) != 1 or poms[0] != pom:
    sys.exit(1)
print("library-check: examples/activation-plugin/README.md shows pom.xml exactly", file=sys.stderr)
PY
echo "library-check: README's Java snippet builds offline and agrees with the closed forms on the class path and the module path" >&2
