import { formatPosition, frameIndexAt } from '../video/position';
import '../styles.css';

interface VideoData {
  fps: number | null;
  frame_count: number | null;
  frame_url_template: string | null;
}

const dataElement = document.getElementById('video-data');
const player = document.getElementById('player') as HTMLVideoElement | null;
const position = document.getElementById('position');
const frameLink = document.getElementById('frame-link') as HTMLAnchorElement | null;

if (dataElement && player && position) {
  const data = JSON.parse(dataElement.textContent ?? '{}') as VideoData;
  const update = () => {
    const index = frameIndexAt(player.currentTime, data.fps ?? 0, data.frame_count ?? 0);
    position.textContent = formatPosition(player.currentTime, index);
    if (frameLink && data.frame_url_template) frameLink.href = data.frame_url_template.replace('{index}', String(index));
  };
  for (const name of ['timeupdate', 'seeked', 'loadedmetadata']) player.addEventListener(name, update);
  update();
}
