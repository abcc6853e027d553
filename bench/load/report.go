package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// markdown renders the run: the machine, what was measured, one row per
// kind and level beside its bare SQL reference, the throughput per level,
// and every failure by cause.
func (r result) markdown(cfg config, args []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine (load driver): %s\n\n", r.machine)
	target := cfg.base.String()
	if cfg.engineLabel != "" {
		target += " — " + cfg.engineLabel
	}
	think := "closed loop (no pause between a session's requests)"
	if cfg.think > 0 {
		think = fmt.Sprintf("each session pauses %s on average between requests", cfg.think)
	}
	fmt.Fprintf(&b, "Target: %s; users %s; %s measured per level after %s warm-up; %s; started %s.\n\n",
		target, strings.Join(r.users, ", "), cfg.duration, cfg.warmup, think, r.started.UTC().Format("2006-01-02 15:04 UTC"))

	bare := cfg.dsn != ""
	b.WriteString("| Request | Sessions | Requests | Errors | p50 ms | p95 ms | p99 ms |")
	if bare {
		b.WriteString(" Bare SQL p50 ms | Bare SQL p95 ms |")
	}
	b.WriteString("\n|---|---:|---:|---:|---:|---:|---:|")
	if bare {
		b.WriteString("---:|---:|")
	}
	b.WriteString("\n")
	for k := range numKinds {
		for _, l := range r.levels {
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %s | %s |", k, l.sessions, l.http.requests(k), l.http.failed(k),
				ms(l.http, k, 0.50), ms(l.http, k, 0.95), ms(l.http, k, 0.99))
			if bare {
				fmt.Fprintf(&b, " %s | %s |", ms(l.sql, k, 0.50), ms(l.sql, k, 0.95))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n| Sessions | HTTP req/s | HTTP errors |")
	if bare {
		b.WriteString(" Bare SQL req/s | Bare SQL errors |")
	}
	b.WriteString("\n|---:|---:|---:|")
	if bare {
		b.WriteString("---:|---:|")
	}
	b.WriteString("\n")
	for _, l := range r.levels {
		n, f := l.http.total()
		fmt.Fprintf(&b, "| %d | %s | %d |", l.sessions, rate(n, l.http.wall), f)
		if bare {
			n, f := l.sql.total()
			fmt.Fprintf(&b, " %s | %d |", rate(n, l.sql.wall), f)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nEach session signs in through the login form and requests the five kinds in turn; detail and " +
		"search use case ids and the first three characters of case names from the user's first list page. " +
		"Latencies are of successful requests, from sending to the last byte read; " +
		"any status but 200 and any transport error is an error.")
	if bare {
		b.WriteString(" The bare SQL reference (bench/load/baresql.go) runs, at the same concurrency and " +
			"for the same time, the queries each page rests on, straight on the same database: " +
			"no HTTP, session, access policy, template or audit entry.")
	}
	b.WriteString("\n")
	r.writeFailures(&b)
	fmt.Fprintf(&b, "\nCommand: `go run ./bench/load %s`\n", commandLine(args))
	return b.String()
}

// writeFailures lists every failure by level, kind and cause: a failed
// request has no latency in the table, so it must be visible here.
func (r result) writeFailures(b *strings.Builder) {
	if r.failures() == 0 {
		return
	}
	b.WriteString("\nFailures:\n\n")
	for _, l := range r.levels {
		for _, part := range []struct {
			name string
			s    *sample
		}{{"HTTP", l.http}, {"bare SQL", l.sql}} {
			if part.s == nil {
				continue
			}
			for k := range numKinds {
				type cause struct {
					text string
					n    int
				}
				var cs []cause
				for t, n := range part.s.errs[k] {
					cs = append(cs, cause{t, n})
				}
				slices.SortFunc(cs, func(a, b cause) int { return cmp.Or(b.n-a.n, strings.Compare(a.text, b.text)) })
				for _, c := range cs {
					fmt.Fprintf(b, "- %d sessions, %s, %s: %d × %s\n", l.sessions, part.name, k, c.n, c.text)
				}
			}
		}
	}
}

// ms formats a percentile in milliseconds; "—" when nothing succeeded.
func ms(s *sample, k kind, p float64) string {
	if s == nil {
		return "—"
	}
	d, ok := s.percentile(k, p)
	if !ok {
		return "—"
	}
	v := float64(d) / float64(time.Millisecond)
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	if v >= 10 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func rate(n int, wall time.Duration) string {
	if wall <= 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)/wall.Seconds(), 'f', 0, 64)
}

// commandLine repeats the arguments for the report with the password and
// any DSN password hidden.
func commandLine(args []string) string {
	out := make([]string, 0, len(args))
	hideNext := false
	for _, a := range args {
		switch {
		case hideNext:
			a, hideNext = "xxxxx", false
		case a == "-password" || a == "--password":
			hideNext = true
		case strings.HasPrefix(a, "-password=") || strings.HasPrefix(a, "--password="):
			a = a[:strings.Index(a, "=")+1] + "xxxxx"
		case strings.Contains(a, "://"):
			if name, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(name, "-") {
				a = name + "=" + redact(v)
			} else {
				a = redact(a)
			}
		}
		out = append(out, shellQuote(a))
	}
	return strings.Join(out, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"$`\\;&|<>()*?[]#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// machineLine describes the machine the driver runs on: processors, CPU
// model and memory (from /proc on Linux), Go version and OS.
func machineLine() string {
	model := procField("/proc/cpuinfo", "model name")
	if model == "" {
		model = runtime.GOARCH
	}
	mem := "memory unknown"
	if kb, err := strconv.ParseInt(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 10, 64); err == nil {
		mem = fmt.Sprintf("%.1f GiB RAM", float64(kb)/(1<<20))
	}
	return fmt.Sprintf("%d vCPU %s, %s, %s %s/%s", runtime.NumCPU(), model, mem, runtime.Version(), runtime.GOOS,
		runtime.GOARCH)
}

// procField reads the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return ""
}
