import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchProposals, requestProposals } from './api';
import type { ClueProposal } from './types';

/** How often the list is read again while a computation is queued or running. */
export const POLL_MS = 2000;

export interface ProposalsState {
  proposals: ClueProposal[];
  computing: boolean;
  canRequest: boolean;
  /** Why the machine cannot propose anything now (the server's words), or null. */
  unavailable: string | null;
  /** A failed request, in words. */
  error: string | null;
  /** Managers: compute them again. */
  request: () => Promise<void>;
  /** One more proposal known to the page (e.g. the box of a click), before the next read of the list. */
  add: (p: ClueProposal) => void;
}

/**
 * The question's proposals from the server: read when the workspace opens and after every save that the
 * server answered (entering stage 3 or moving the reference interval queues a computation), and every
 * POLL_MS while one is queued or running.
 */
export function useProposals(
  url: string | null,
  requestUrl: string | null,
  fetchRef: { current: typeof fetch },
  csrf: string,
  serverVersion: number,
): ProposalsState {
  const [proposals, setProposals] = useState<ClueProposal[]>([]);
  const [computing, setComputing] = useState(false);
  const [canRequest, setCanRequest] = useState(false);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    if (url === null) return;
    let stale = false;
    void fetchProposals(fetchRef.current, url).then((list) => {
      if (stale || !alive.current || list === null) return;
      setProposals(list.proposals);
      setComputing(list.computing);
      setCanRequest(list.can_request);
      setUnavailable(typeof list.unavailable === 'string' && list.unavailable !== '' ? list.unavailable : null);
    });
    return () => {
      stale = true;
    };
  }, [url, fetchRef, serverVersion, tick]);

  useEffect(() => {
    if (!computing || url === null) return;
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [computing, url, tick]);

  const request = useCallback(async () => {
    if (requestUrl === null) return;
    const failed = await requestProposals(fetchRef.current, requestUrl, csrf);
    if (!alive.current) return;
    setError(failed);
    if (failed === null) {
      setComputing(true);
      setTick((n) => n + 1);
    }
  }, [requestUrl, fetchRef, csrf]);

  const add = useCallback((p: ClueProposal) => {
    setProposals((list) => (list.some((q) => q.id === p.id) ? list : [...list, p]));
  }, []);

  return { proposals, computing, canRequest, unavailable, error, request, add };
}
