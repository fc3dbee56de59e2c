#!/usr/bin/env bash
# Builds libsinsp's condition parser on its own (parser.cpp, escaping.cpp, ast.cpp of
# falcosecurity/libs) into a small program that parses conditions as Falco and sysdig do:
# the reference scripts/parser-differential.mjs compares kestrel's parser with.
#
#   scripts/libsinsp-parser-oracle.sh LIBS [REV] [OUT]
#
# LIBS is a libs git repository (a clone or a bare mirror), REV the revision (HEAD), OUT
# the program to write (./libsinsp-parser-oracle). Needs g++ and RE2's headers (Debian:
# apt-get install g++ libre2-dev; libs builds against re2 2022-06-01).
#
# The program reads conditions separated by NUL bytes on stdin, optionally takes the depth
# limit as its argument (libsinsp's default is 100), and prints one line per condition:
# `ok`, or `error<TAB>offset<TAB>line<TAB>column<TAB>message` with control characters and
# backslashes in the message escaped as \xHH and \\.
set -euo pipefail
libs=${1:?usage: $0 LIBS [REV] [OUT]}
rev=${2:-HEAD}
out=$(realpath -m "${3:-libsinsp-parser-oracle}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/libsinsp/filter"
for f in parser.cpp parser.h ast.h ast.cpp escaping.h escaping.cpp; do
  git -C "$libs" show "$rev:userspace/libsinsp/filter/$f" >"$work/libsinsp/filter/$f"
done
for f in sinsp_exception.h sinsp_public.h; do
  git -C "$libs" show "$rev:userspace/libsinsp/$f" >"$work/libsinsp/$f"
done
# What parser.cpp takes from libsinsp/utils.h.
cat >"$work/libsinsp/utils.h" <<'CPP'
#pragma once
#include <algorithm>
#include <cctype>
#include <string>
#ifndef ASSERT
#define ASSERT(x)
#endif
inline std::string& trim(std::string& s) {
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), [](unsigned char c) { return !std::isspace(c); }));
  s.erase(std::find_if(s.rbegin(), s.rend(), [](unsigned char c) { return !std::isspace(c); }).base(), s.end());
  return s;
}
CPP
cat >"$work/main.cc" <<'CPP'
#include <libsinsp/filter/parser.h>
#include <libsinsp/sinsp_exception.h>
#include <cstdio>
#include <cstdlib>
#include <iostream>
int main(int argc, char** argv) {
  uint32_t depth = argc > 1 ? std::atoi(argv[1]) : 0;
  std::string condition;
  while (std::getline(std::cin, condition, '\0')) {
    libsinsp::filter::parser p(condition);
    if (depth) p.set_max_depth(depth);
    try {
      p.parse();
      std::cout << "ok\n";
    } catch (const sinsp_exception& e) {
      std::string message = e.what(), escaped;
      for (unsigned char c : message) {
        if (c == '\\') escaped += "\\\\";
        else if (c < 0x20) { char b[8]; snprintf(b, sizeof b, "\\x%02x", c); escaped += b; }
        else escaped += c;
      }
      auto pos = p.get_pos();
      std::cout << "error\t" << pos.idx << "\t" << pos.line << "\t" << pos.col << "\t" << escaped << "\n";
    }
  }
}
CPP
g++ -std=c++17 -O1 -I"$work" -include "$work/libsinsp/utils.h" -o "$out" \
  "$work/main.cc" "$work/libsinsp/filter/parser.cpp" "$work/libsinsp/filter/escaping.cpp" "$work/libsinsp/filter/ast.cpp" -lre2
echo "$out"
