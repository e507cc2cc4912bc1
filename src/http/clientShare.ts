import type { Server } from 'node:http';

/**
 * Closes a client's connections past `max` open at once (by remote address), so
 * one client holding idle sockets cannot take the whole connection cap and
 * lock everyone else out (health checks included). Behind a proxy every
 * connection comes from the proxy's address: raise the share or set 0 (off)
 * there, and cap per client in the proxy.
 */
export function shareConnectionsPerClient(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const client = socket.remoteAddress ?? '';
    const count = (open.get(client) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
  });
}
