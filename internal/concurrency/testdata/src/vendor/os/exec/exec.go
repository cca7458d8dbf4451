// Package exec is a stub of os/exec for the fixtures: the API they use,
// with the real names, signatures and types, on syscall instead of os (a
// Cmd runs its process and waits for it; one made with a context is
// killed when the context is done). It lives in testdata/src/vendor, so
// `import "os/exec"` finds it (as vendor/os/exec) instead of analysing
// the real os/exec and os from source.
package exec

import (
	"context"
	"syscall"
)

// Cmd represents an external command being prepared or run.
type Cmd struct {
	Path string
	Args []string
	Env  []string
	Dir  string

	ctx  context.Context
	pid  int
	done chan struct{} // closed when Wait returns, to stop watchCtx
}

// Command returns the Cmd struct to execute the named program with the
// given arguments.
func Command(name string, arg ...string) *Cmd {
	return &Cmd{Path: name, Args: append([]string{name}, arg...)}
}

// CommandContext is like Command but includes a context: the process is
// killed if the context becomes done before the command completes.
func CommandContext(ctx context.Context, name string, arg ...string) *Cmd {
	if ctx == nil {
		panic("nil Context")
	}
	cmd := Command(name, arg...)
	cmd.ctx = ctx
	return cmd
}

// Run starts the specified command and waits for it to complete.
func (c *Cmd) Run() error {
	if err := c.Start(); err != nil {
		return err
	}
	return c.Wait()
}

// Start starts the specified command but does not wait for it to complete.
func (c *Cmd) Start() error {
	if c.ctx != nil {
		if err := c.ctx.Err(); err != nil {
			return err
		}
	}
	pid, err := syscall.ForkExec(c.Path, c.Args, &syscall.ProcAttr{Dir: c.Dir, Env: c.Env, Files: []uintptr{0, 1, 2}})
	if err != nil {
		return err
	}
	c.pid = pid
	if c.ctx != nil {
		c.done = make(chan struct{})
		go c.watchCtx()
	}
	return nil
}

// watchCtx kills the process when the context is done before Wait returns.
func (c *Cmd) watchCtx() {
	select {
	case <-c.ctx.Done():
		syscall.Kill(c.pid, syscall.SIGKILL)
	case <-c.done:
	}
}

// Wait waits for the command to exit.
func (c *Cmd) Wait() error {
	var status syscall.WaitStatus
	_, err := syscall.Wait4(c.pid, &status, 0, nil)
	if c.done != nil {
		close(c.done)
	}
	if err != nil {
		return err
	}
	if !status.Exited() || status.ExitStatus() != 0 {
		return &ExitError{status}
	}
	return nil
}

// An ExitError reports an unsuccessful exit by a command.
type ExitError struct{ status syscall.WaitStatus }

func (e *ExitError) Error() string { return "exit status" }
