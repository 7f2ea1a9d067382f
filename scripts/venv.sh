# Shared by the scripts: create .venv and install the project when pyproject.toml changed.
ensure_venv() {
    local extra="${1:-}"
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null || python=python
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    local spec="."
    [ -n "$extra" ] && spec=".[$extra]"
    local stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extra:-base}"
    if [ ! -f "$stamp" ]; then
        .venv/bin/python -m pip install -q --upgrade pip >/dev/null
        .venv/bin/python -m pip install -q -e "$spec"
        touch "$stamp"
    fi
    # Bytecode, as a wheel install writes it: with PYTHONDONTWRITEBYTECODE set, every
    # `followup` process (and every test that starts one) would compile the package again.
    .venv/bin/python -m compileall -q src >/dev/null
}
