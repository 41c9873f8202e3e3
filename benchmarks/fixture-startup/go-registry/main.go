// Times go-containerregistry's pkg/registry, the fixture Go tests use, the way benchmarks/fixture-startup measures
// InProcessRegistry: start a registry, get the first 200 from GET /v2/, stop it. "socket" serves it with
// httptest.NewServer on loopback (as Kestrel does), "handler" calls its http.Handler directly (as TestServer does).
// The first iteration is the fresh process's first start; the median of the rest is the warm start.
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

// The registry logs each request; the benchmark prints only its figures.
var quiet = registry.Logger(log.New(io.Discard, "", 0))

func startToFirst200(mode string) time.Duration {
	started := time.Now()
	switch mode {
	case "socket":
		server := httptest.NewServer(registry.New(quiet))
		response, err := http.Get(server.URL + "/v2/")
		if err != nil || response.StatusCode != http.StatusOK {
			panic(fmt.Sprint("GET /v2/: ", err, response))
		}
		response.Body.Close()
		server.Close()
	case "handler":
		recorder := httptest.NewRecorder()
		registry.New(quiet).ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/v2/", nil))
		if recorder.Code != http.StatusOK {
			panic(fmt.Sprint("GET /v2/: ", recorder.Code))
		}
	default:
		panic("mode is socket or handler")
	}
	return time.Since(started)
}

// The CPU time this process has used so far, all threads, user and system.
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func milliseconds(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64) }

func main() {
	mode, iterations := os.Args[1], 200
	cpuBefore := cpuTime()
	first := startToFirst200(mode)
	cpu := cpuTime() - cpuBefore
	warm := make([]time.Duration, iterations)
	for i := range warm {
		warm[i] = startToFirst200(mode)
	}
	sort.Slice(warm, func(a, b int) bool { return warm[a] < warm[b] })
	fmt.Printf("first_ms=%s first_cpu_ms=%s warm_median_ms=%s\n", milliseconds(first), milliseconds(cpu), milliseconds(warm[iterations/2]))
}
