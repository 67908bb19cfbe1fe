import * as grpc from '@grpc/grpc-js';
import { GrpcError } from './grpc-error';

/**
 * An AbortSignal for one server call that fires when the client cancels or the deadline passes,
 * so handlers can stop work nobody is waiting for. `dispose` must run when the call ends.
 */
export function callSignal(call: grpc.ServerUnaryCall<unknown, unknown>, now: () => number): {
  signal: AbortSignal;
  deadline: Date | undefined;
  dispose: () => void;
} {
  const controller = new AbortController();
  const onCancel = () => controller.abort(new GrpcError(grpc.status.CANCELLED, 'call cancelled'));
  call.once('cancelled', onCancel);
  const raw = call.getDeadline();
  const ms = raw instanceof Date ? raw.getTime() : raw;
  const deadline = Number.isFinite(ms) ? new Date(ms) : undefined;
  let timer: NodeJS.Timeout | undefined;
  if (deadline) {
    timer = setTimeout(() => controller.abort(new GrpcError(grpc.status.DEADLINE_EXCEEDED, 'deadline exceeded')), Math.max(0, deadline.getTime() - now()));
    timer.unref();
  }
  return {
    signal: controller.signal,
    deadline,
    dispose: () => {
      if (timer) clearTimeout(timer);
      call.removeListener('cancelled', onCancel);
    },
  };
}
