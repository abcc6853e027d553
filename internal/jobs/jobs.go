// Package jobs runs the periodic work of the office (the monitoring scan,
// escalation of unanswered notices, the daily refresh of clocks) on
// whichever instance claims it first. A claim is one conditional UPDATE in
// the database, so several instances behind a load balancer never run the
// same job twice in one period, and a crashed holder's lease runs out.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Claimer is the database side of a claim.
type Claimer interface {
	// ClaimJob takes the job for holder until now+lease if nobody holds it
	// and it last ran at least every ago. It reports whether it was taken.
	ClaimJob(ctx context.Context, name, holder string, every, lease time.Duration) (bool, error)
	// FinishJob records the run and releases the claim.
	FinishJob(ctx context.Context, name, holder, result string) error
}

// Job is one periodic task.
type Job struct {
	Name  string
	Every time.Duration
	// Lease bounds how long a holder may run before another instance may
	// take over (default: Every).
	Lease time.Duration
	// Run does the work and returns a one-line result for the jobs table.
	Run func(ctx context.Context) (string, error)
}

// Runner runs jobs on this instance.
type Runner struct {
	claim  Claimer
	holder string
	jobs   []Job
	log    *slog.Logger
}

// NewRunner wires a runner. holder names this instance (host and pid).
func NewRunner(c Claimer, holder string, log *slog.Logger, jobs ...Job) *Runner {
	return &Runner{claim: c, holder: holder, jobs: jobs, log: log}
}

// RunDue runs every job that is due and not held elsewhere, one after the
// other, and returns the names of those it ran.
func (r *Runner) RunDue(ctx context.Context) ([]string, error) {
	var ran []string
	for _, j := range r.jobs {
		lease := j.Lease
		if lease == 0 {
			lease = j.Every
		}
		ok, err := r.claim.ClaimJob(ctx, j.Name, r.holder, j.Every, lease)
		if err != nil {
			return ran, fmt.Errorf("jobs: claim %s: %w", j.Name, err)
		}
		if !ok {
			continue
		}
		result, err := j.Run(ctx)
		if err != nil {
			result = "error: " + err.Error()
			r.log.ErrorContext(ctx, "job failed", "job", j.Name, "err", err)
		}
		// The finish uses a fresh context: a job cut short by shutdown
		// still releases its claim.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		ferr := r.claim.FinishJob(fctx, j.Name, r.holder, result)
		cancel()
		if ferr != nil {
			return ran, fmt.Errorf("jobs: finish %s: %w", j.Name, ferr)
		}
		ran = append(ran, j.Name)
	}
	return ran, nil
}

// Loop calls RunDue every tick until ctx ends.
func (r *Runner) Loop(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.ErrorContext(ctx, "jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
