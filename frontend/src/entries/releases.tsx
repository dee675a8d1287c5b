import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BarChart } from '../releases/BarChart';
import { LeaderboardChart } from '../releases/LeaderboardChart';
import { readReleaseCharts } from '../releases/payload';
import { statChart } from '../releases/shape';
import { enableProfileSwitch } from '../releases/profileSwitch';
import '../releases/releases.css';

const data = readReleaseCharts(document.getElementById('release-charts'));

enableProfileSwitch(document.getElementById('profile-form'));

if (data !== null) {
  for (const mount of document.querySelectorAll<HTMLElement>('[data-chart]')) {
    if (mount.dataset.chart === 'stat') {
      const stat = data.stats[Number(mount.dataset.index)];
      if (stat === undefined || stat.bars.length === 0) continue;
      const figure = mount.closest('figure');
      createRoot(mount).render(
        <StrictMode>
          {/* Once drawn, the chart stands for the table, which stays for screen readers and without scripts. */}
          <BarChart spec={statChart(stat)} onDrawn={() => figure?.classList.add('charted')} />
        </StrictMode>,
      );
    } else if (mount.dataset.chart === 'leaderboard') {
      createRoot(mount).render(
        <StrictMode>
          <LeaderboardChart board={data.leaderboard} />
        </StrictMode>,
      );
    }
  }
}
