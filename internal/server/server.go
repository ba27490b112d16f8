// Package server is stakegraph's HTTP front: the GraphQL endpoint, the
// playground, health and readiness probes, with timeouts and graceful
// shutdown.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// HTTP server timeouts: generous enough for the slowest bounded query, short
// enough that a stalled client cannot hold a connection for long.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 15 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 120 * time.Second

	// ShutdownTimeout bounds how long in-flight requests may finish after a
	// stop signal.
	ShutdownTimeout = 10 * time.Second

	// readyTimeout bounds the store check behind /readyz.
	readyTimeout = 2 * time.Second
)

// Routes builds the HTTP handler: "/" the GraphiQL playground, "/graphql"
// the API (GET and POST), "/healthz" process liveness, "/readyz" store
// reachability.
func Routes(store domain.Store, api http.Handler, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", playground.Handler("stakegraph", "/graphql"))
	mux.Handle("/graphql", api)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			logger.Warn("readiness check failed", "err", err)
			writeText(w, http.StatusServiceUnavailable, "store unavailable: "+domain.ErrorMessage(err))
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
	// Browser frontends on other origins read the API; only GET and POST.
	return cors.New(cors.Options{
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type"},
	}).Handler(mux)
}

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}

// Serve serves handler on listener until ctx is done, then shuts down,
// giving in-flight requests ShutdownTimeout to finish.
func Serve(ctx context.Context, listener net.Listener, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
