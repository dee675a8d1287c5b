import type WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/plugins/regions';
import SpectrogramPlugin, { type SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';
import TimelinePlugin, { type TimelinePluginOptions } from 'wavesurfer.js/plugins/timeline';

export type RegionsPluginInstance = ReturnType<typeof RegionsPlugin.create>;
export type RulerPluginInstance = ReturnType<typeof TimelinePlugin.create>;
export type SpectrogramPluginInstance = ReturnType<typeof SpectrogramPlugin.create>;

/** How the timeline makes its wavesurfer plugins (injectable for tests: jsdom has no canvas). */
export interface TimelinePluginFactories {
  regions(): RegionsPluginInstance;
  ruler(options: TimelinePluginOptions): RulerPluginInstance;
  spectrogram(options: SpectrogramPluginOptions): SpectrogramPluginInstance;
}

export const defaultPluginFactories: TimelinePluginFactories = {
  regions: () => RegionsPlugin.create(),
  ruler: (options) => TimelinePlugin.create(options),
  spectrogram: (options) => SpectrogramPlugin.create(options),
};

/** The media's source as wavesurfer's player reads it: load() with this URL leaves the element alone. */
export function mediaSource(ws: WaveSurfer): string {
  const media = ws.getMediaElement();
  return media === null ? '' : media.currentSrc || media.src || '';
}

/** Keeps the time ruler under the waveform and the spectrogram (plugins append to the wrapper in registration order). */
export function moveRulerLast(ws: WaveSurfer): void {
  const wrapper = ws.getWrapper();
  const ruler = wrapper.querySelector(':scope > [part="timeline-wrapper"]');
  if (ruler !== null && ruler !== wrapper.lastElementChild) {
    wrapper.appendChild(ruler);
  }
}
