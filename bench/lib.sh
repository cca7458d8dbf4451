# shellcheck shell=bash
# Shared by bench/run and bench/soak: pinned targets, their preparation in
# throwaway modules, and building futlint from this checkout.
#
# A target is "name|module@version|package patterns". Targets without a
# module (std and the std slice) are analysed from an empty module.
# Versions are pinned so that numbers and counts stay comparable over time;
# change one only together with the committed results it affects.

BENCH_DIR=${BENCH_DIR:-/tmp/futlint-bench}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

declare -A TARGET_MODULE=(
	[slice]=""
	[std]=""
	[etcd]="go.etcd.io/etcd/server/v3@v3.7.3"
	[xsync]="golang.org/x/sync@v0.24.0"
	[grpc]="google.golang.org/grpc@v1.85.0"
	[consul-api]="github.com/hashicorp/consul/api@v1.34.5" # v1.35.0 needs go 1.26.9
	[client-go]="k8s.io/client-go@v0.37.2"
	[prometheus]="github.com/prometheus/prometheus@v0.316.0"
	# Triage targets (bench/triage/run): concurrency-heavy servers whose
	# findings are judged by reading the code.
	[nats]="github.com/nats-io/nats-server/v2@v2.15.3"
	[raft]="github.com/hashicorp/raft@v1.7.3"
	[sarama]="github.com/IBM/sarama@v1.61.1"
	[moby]="github.com/moby/moby/v2@v2.0.0-beta.24"
	[goredis]="github.com/redis/go-redis/v9@v9.23.0"
	# The other modules the leakedgoroutine issues were measured on.
	[grpc-sub]="google.golang.org/grpc@v1.85.0"
	[memberlist]="github.com/hashicorp/memberlist@v0.7.0"
	[pgx]="github.com/jackc/pgx/v5@v5.13.0"
)

# Package patterns per target. client-go and prometheus are subsets: the
# packages with long-lived goroutines, queues and caches (the code futlint is
# about), not generated clientsets or cloud service-discovery plugins.
declare -A TARGET_PACKAGES=(
	[slice]="go/... encoding/json net/http"
	[std]="std"
	[etcd]="go.etcd.io/etcd/server/v3/..."
	[xsync]="golang.org/x/sync/..."
	[grpc]="google.golang.org/grpc/..."
	[consul-api]="github.com/hashicorp/consul/api/..."
	[client-go]="k8s.io/client-go/tools/... k8s.io/client-go/util/... k8s.io/client-go/rest/... k8s.io/client-go/transport/..."
	[prometheus]="github.com/prometheus/prometheus/tsdb/... github.com/prometheus/prometheus/promql/... github.com/prometheus/prometheus/scrape/... github.com/prometheus/prometheus/storage/remote/..."
	[nats]="github.com/nats-io/nats-server/v2/server/..."
	[raft]="github.com/hashicorp/raft/..."
	[sarama]="github.com/IBM/sarama"
	# moby: the daemon's logging, networking, events and swarm cluster code
	# (long-lived goroutines and queues), not its CLI or API plumbing.
	[moby]="github.com/moby/moby/v2/daemon/logger/... github.com/moby/moby/v2/daemon/libnetwork/... github.com/moby/moby/v2/daemon/events/... github.com/moby/moby/v2/daemon/cluster/..."
	[goredis]="github.com/redis/go-redis/v9/..."
	# grpc-sub: the transport, balancers and xds client (connection and
	# balancer lifecycles: balancer/lazy is issue 17's outlives-owner bug),
	# not the generated service stubs and examples of the grpc target.
	[grpc-sub]="google.golang.org/grpc/internal/transport/... google.golang.org/grpc/balancer/... google.golang.org/grpc/internal/xds/..."
	[memberlist]="github.com/hashicorp/memberlist/..."
	[pgx]="github.com/jackc/pgx/v5/..."
)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

# target_dir NAME: the throwaway module directory the target is analysed from.
target_dir() { echo "$BENCH_DIR/targets/$1"; }

# prepare_target NAME [WARM]: create the throwaway module requiring the
# pinned module version and fill go.sum for its packages and their tests;
# unless WARM is 0, also warm the build cache with one untimed go vet of
# everything, so that timed runs measure analysis rather than compilation
# or downloads. Output goes to prepare.log in the target's directory.
prepare_target() {
	local name=$1 warm=${2:-1} mod=${TARGET_MODULE[$1]-x} dir
	[[ $mod != x ]] || die "unknown target $1 (known: ${!TARGET_MODULE[*]})"
	dir=$(target_dir "$name")
	if [[ ! -f $dir/.prepared ]] || [[ $(cat "$dir/.prepared") != "$mod ${TARGET_PACKAGES[$name]}" ]]; then
		log "preparing $name ${mod:-(standard library)} in $dir"
		rm -rf "$dir" && mkdir -p "$dir"
		(
			cd "$dir" || exit 1
			export GOWORK=off GOFLAGS=-mod=mod
			exec >prepare.log 2>&1
			go mod init "futlintbench/$name" || exit 1
			if [[ -n $mod ]]; then
				go get "$mod" || exit 1
			fi
			# -deps -test records go.sum entries for tests' imports as well.
			# shellcheck disable=SC2086
			go list -e -deps -test ${TARGET_PACKAGES[$name]} >/dev/null || exit 1
		) || { tail -20 "$dir/prepare.log" >&2; die "preparing $name failed (log: $dir/prepare.log)"; }
		echo "$mod ${TARGET_PACKAGES[$name]}" >"$dir/.prepared"
	fi
	if ((warm)) && [[ ! -f $dir/.warm ]]; then
		log "warming the build cache for $name (one untimed go vet)"
		# vet needs export data of every dependency and test variant. Its
		# findings are not our business; its exit code is logged.
		# shellcheck disable=SC2086
		(cd "$dir" && GOWORK=off GOFLAGS=-mod=mod go vet ${TARGET_PACKAGES[$name]} >>prepare.log 2>&1; echo "go vet exit code $?" >>prepare.log)
		touch "$dir/.warm"
	fi
}

# target_lines NAME: lines in the non-test and test Go files of the
# target's packages (what the analysers read, excluding dependencies).
target_lines() {
	local name=$1
	(
		cd "$(target_dir "$name")" || exit 1
		# shellcheck disable=SC2086,SC2016
		GOWORK=off go list -e -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .CgoFiles}}{{$d}}/{{.}}
{{end}}{{range .TestGoFiles}}{{$d}}/{{.}}
{{end}}{{range .XTestGoFiles}}{{$d}}/{{.}}
{{end}}' ${TARGET_PACKAGES[$name]} | sed '/^$/d' | sort -u | xargs cat | wc -l
	)
}

# target_npkgs NAME: number of packages matched.
target_npkgs() {
	# shellcheck disable=SC2086
	(cd "$(target_dir "$1")" && GOWORK=off go list -e ${TARGET_PACKAGES[$1]} | wc -l)
}

# build_futlint DIR [REV]: build futlint, and the findings counter that
# lists its analyzers, from the working tree (default) or from git
# revision REV (so that others' uncommitted edits in a shared checkout stay
# out of a measurement). Prints the futlint path.
build_futlint() {
	local bin=$1 rev=${2:-} src=$REPO
	mkdir -p "$bin"
	if [[ -n $rev ]]; then
		src=$bin/src
		rm -rf "$src" && mkdir -p "$src"
		git -C "$REPO" archive "$rev" | tar -x -C "$src" || die "cannot export revision $rev"
	fi
	(cd "$src" && GOWORK=off GOFLAGS='' go build -o "$bin/futlint" ./cmd/futlint && GOWORK=off GOFLAGS='' go build -o "$bin/findings" ./bench/internal/findings) ||
		die "building futlint${rev:+ at $rev} failed"
	echo "$bin/futlint"
}

# tree_rss_kb PID: summed RSS of PID and its descendants.
tree_rss_kb() {
	ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
		{ parent[$1] = $2; rss[$1] = $3 }
		END {
			for (p in parent) {
				q = p; n = 0
				while (q != "" && q != root && q > 1 && n++ < 64) q = parent[q]
				if (q == root) sum += rss[p]
			}
			print sum + 0
		}'
}

# run_guarded LIMIT_MB OUT DIR CMD...: run CMD in DIR with stdout and stderr
# in OUT.stdout and OUT.stderr, sampling the summed RSS of its process tree
# every 0.5 s and killing the tree if it passes LIMIT_MB (the machine is
# shared; the stock multichecker needs 7-11 GB on std). Sets RUN_RC,
# RUN_PEAK_KB and RUN_KILLED (1 if killed).
# shellcheck disable=SC2034 # the RUN_ variables are its results
run_guarded() {
	local limit=$1 out=$2 dir=$3 pid now
	shift 3
	RUN_PEAK_KB=0 RUN_KILLED=0 RUN_RC=0
	# setsid gives the run its own process group, so it is killed whole.
	(cd "$dir" && exec setsid "$@" >"$out.stdout" 2>"$out.stderr") &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		now=$(tree_rss_kb "$pid")
		((now > RUN_PEAK_KB)) && RUN_PEAK_KB=$now
		if ((now > limit * 1024)); then
			log "process tree passed ${limit} MB: killing it"
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
			RUN_KILLED=1
			break
		fi
		sleep 0.5
	done
	wait "$pid" || RUN_RC=$?
}
