#!/bin/sh
# Writes the Swift source that builds Roster's shipped themes into the binary, from the files
# in themes/: embed-themes.sh OUTPUT THEME.toml ... Run by the EmbedThemesPlugin at build
# time, so themes/*.toml is the only copy and an installed binary needs no file beside it.
# (A shell script, not a Swift tool: the sanitised fuzz build's flags would reach a Swift tool
# and link libFuzzer's main into it.)
set -eu
output=$1
shift
{
    echo '// Generated at build time by the EmbedThemes plugin from themes/*.toml: edit those files.'
    echo
    echo 'extension Theme {'
    echo '    /// The themes shipped with Roster, built into the binary so an installed copy needs no'
    echo '    /// files beside it: each file of themes/ as it is, the default first.'
    echo '    public static let builtInFiles: [(name: String, text: String)] = ['
    # The default first, then by name: the order `roster themes` lists them in.
    for file in "$@"; do
        name=$(basename "$file" .toml)
        if [ "$name" = default ]; then echo "0 $file"; else echo "1 $file"; fi
    done | sort | while read -r _ file; do
        name=$(basename "$file" .toml)
        # A raw multi-line literal holds the text exactly (the newline before its closing
        # delimiter is not part of it), with enough # that nothing inside ends or interpolates it.
        hashes='#'
        while grep -qF "\"\"\"$hashes" "$file" || grep -qF "\\$hashes" "$file"; do hashes="$hashes#"; done
        printf '        ("%s", %s"""\n' "$name" "$hashes"
        cat "$file"
        printf '\n"""%s),\n' "$hashes"
    done
    echo '    ]'
    echo '}'
} > "$output.partial"
mv "$output.partial" "$output"
