import { useEffect, useState } from 'react';
import type { SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';
import { parsePeaks, type PeaksData } from './peaks';
import { parseSpectrogram, spectrogramFrames, spectrogramOptions } from './spectrogram';

export type PeaksState =
  | { status: 'loading' }
  | { status: 'ready'; peaks: PeaksData }
  | { status: 'none' }
  | { status: 'error'; message: string };

export type SpectrogramState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; url: string; options: (height: number) => SpectrogramPluginOptions }
  | { status: 'error'; message: string };

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function fetchJson(fetcher: typeof fetch, url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetcher(url, { signal, credentials: 'same-origin' });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  return response.json();
}

/** The precomputed peaks of `peaksUrl` (null: the video has no audio). */
export function usePeaks(peaksUrl: string | null, fetcher: typeof fetch): PeaksState {
  const [peaksState, setPeaksState] = useState<PeaksState>(
    peaksUrl === null ? { status: 'none' } : { status: 'loading' },
  );
  useEffect(() => {
    // Same state object where nothing changes: a new one would make a new wavesurfer.
    if (peaksUrl === null) {
      setPeaksState((current) => (current.status === 'none' ? current : { status: 'none' }));
      return;
    }
    setPeaksState((current) => (current.status === 'loading' ? current : { status: 'loading' }));
    const controller = new AbortController();
    fetchJson(fetcher, peaksUrl, controller.signal)
      .then((json) => {
        if (!controller.signal.aborted) {
          setPeaksState({ status: 'ready', peaks: parsePeaks(json) });
        }
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setPeaksState({ status: 'error', message: errorMessage(error) });
        }
      });
    return () => controller.abort();
  }, [peaksUrl, fetcher]);
  return peaksState;
}

/**
 * The precomputed spectrogram: fetched the first time it is `requested`,
 * then kept (as a blob URL) for later toggles.
 */
export function useSpectrogramData(
  requested: boolean,
  spectrogramUrl: string | null,
  span: number,
  fetcher: typeof fetch,
): SpectrogramState {
  const [spectrogram, setSpectrogram] = useState<SpectrogramState>({ status: 'idle' });
  useEffect(() => {
    if (!requested || spectrogramUrl === null) {
      setSpectrogram({ status: 'idle' });
      return;
    }
    setSpectrogram({ status: 'loading' });
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fetchJson(fetcher, spectrogramUrl, controller.signal)
      .then((json) => {
        if (controller.signal.aborted) {
          return;
        }
        const spec = parseSpectrogram(json);
        // The plugin takes precomputed data only from a URL answering the bare [frame][bin] array.
        const blob = new Blob([JSON.stringify(spectrogramFrames(spec, span))], { type: 'application/json' });
        const url = URL.createObjectURL(blob);
        objectUrl = url;
        setSpectrogram({ status: 'ready', url, options: (height) => spectrogramOptions(spec, url, height) });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setSpectrogram({ status: 'error', message: errorMessage(error) });
        }
      });
    return () => {
      controller.abort();
      if (objectUrl !== null) {
        URL.revokeObjectURL(objectUrl);
      }
    };
  }, [requested, spectrogramUrl, span, fetcher]);
  return spectrogram;
}
