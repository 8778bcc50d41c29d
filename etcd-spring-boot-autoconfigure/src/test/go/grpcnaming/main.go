// Command grpcnaming plays a Go service of etcd's gRPC naming in the interop tests: it
// registers and watches endpoints through etcd's own code (go.etcd.io/etcd/clientv3/naming/endpoints,
// Debian's golang-etcd-server-dev), so that the tests check the Java side against the real thing.
//
//	grpcnaming register <endpoint> <target> <addr> <ttlSeconds>
//	    puts <target>/<addr> under a lease kept alive, prints "REGISTERED <key>", stays until killed
//	grpcnaming watch <endpoint> <target>
//	    prints "WATCHING <target>", then each update: "ADD <addr>" or "DELETE <addr>"
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/naming/endpoints"
)

func main() {
	if len(os.Args) < 4 {
		fail("usage: grpcnaming register <endpoint> <target> <addr> <ttlSeconds> | watch <endpoint> <target>")
	}
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{os.Args[2]}, DialTimeout: 10 * time.Second})
	if err != nil {
		fail("connecting: %v", err)
	}
	defer client.Close()
	manager, err := endpoints.NewManager(client, os.Args[3])
	if err != nil {
		fail("endpoint manager: %v", err)
	}
	switch {
	case os.Args[1] == "register" && len(os.Args) == 6:
		register(client, manager, os.Args[3], os.Args[4], os.Args[5])
	case os.Args[1] == "watch" && len(os.Args) == 4:
		watch(manager, os.Args[3])
	default:
		fail("unknown command: %v", os.Args[1:])
	}
}

func register(client *clientv3.Client, manager endpoints.Manager, target, addr, ttl string) {
	seconds, err := strconv.ParseInt(ttl, 10, 64)
	if err != nil {
		fail("ttlSeconds: %v", err)
	}
	ctx := context.Background()
	lease, err := client.Grant(ctx, seconds)
	if err != nil {
		fail("granting a lease: %v", err)
	}
	key := target + "/" + addr
	err = manager.AddEndpoint(ctx, key, endpoints.Endpoint{Addr: addr}, clientv3.WithLease(lease.ID))
	if err != nil {
		fail("adding the endpoint: %v", err)
	}
	alive, err := client.KeepAlive(ctx, lease.ID)
	if err != nil {
		fail("keeping the lease alive: %v", err)
	}
	fmt.Println("REGISTERED " + key)
	for range alive {
	}
	fail("the lease %x expired", lease.ID)
}

func watch(manager endpoints.Manager, target string) {
	updates, err := manager.NewWatchChannel(context.Background())
	if err != nil {
		fail("watching: %v", err)
	}
	fmt.Println("WATCHING " + target)
	for batch := range updates {
		for _, update := range batch {
			switch update.Op {
			case endpoints.Add:
				fmt.Println("ADD " + update.Endpoint.Addr)
			case endpoints.Delete:
				// a deleted key carries no value: the address is the end of its key
				fmt.Println("DELETE " + strings.TrimPrefix(update.Key, target+"/"))
			}
		}
	}
	fail("the watch ended")
}

func fail(format string, arguments ...interface{}) {
	fmt.Fprintf(os.Stderr, "grpcnaming: "+format+"\n", arguments...)
	os.Exit(1)
}
