import { useState } from 'react';
import { KEEP_FOCUS } from '../components';
import { BoxList, DeleteButton, type CluePanelProps } from './ClueParts';
import { clusterNameProblem } from './clusters';
import { clusterBoxCounts, indexedClues, isBox } from './doc';
import type { Cluster } from './types';

/** The id of the vocabulary's datalist (one per page). */
export const CLUSTER_LABELS_ID = 'ws-cluster-labels';

function ClusterRow({
  cluster,
  index,
  count,
  selected,
  props,
}: {
  cluster: Cluster;
  index: number;
  count: number;
  selected: boolean;
  props: CluePanelProps;
}) {
  const [name, setName] = useState(cluster.name);
  const [problem, setProblem] = useState<string | null>(null);
  const error = props.errors[`clusters[${index}]`];
  const commit = () => {
    if (name === cluster.name) return;
    const why = clusterNameProblem(props.doc.clusters, index, name);
    setProblem(why);
    if (why === null) props.onRenameCluster(index, name);
  };
  return (
    <li className={selected ? 'ws-cluster ws-selected' : 'ws-cluster'} data-cluster={cluster.name}>
      <button
        type="button"
        className="ws-cluster-pick"
        aria-pressed={selected}
        onClick={() => props.onSelectCluster(cluster.name)}
        title="Draw boxes in this cluster (n: next cluster)"
      >
        <span className="ws-swatch" style={{ background: cluster.color }} aria-hidden="true" />
        <span className="ws-visually-hidden">Select {cluster.name}</span>
      </button>
      <input
        type="text"
        aria-label={`Name of cluster ${index + 1}`}
        list={props.clusterLabels !== undefined && props.clusterLabels.length > 0 ? CLUSTER_LABELS_ID : undefined}
        value={name}
        maxLength={100}
        disabled={props.disabled}
        onChange={(e) => setName(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <input
        type="color"
        aria-label={`Colour of cluster ${index + 1}`}
        value={cluster.color}
        disabled={props.disabled}
        onChange={(e) => props.onRecolorCluster(index, e.target.value)}
      />
      <span className={count === 0 ? 'ws-muted ws-empty-cluster' : 'ws-muted'}>
        {count === 1 ? '1 box' : `${count} boxes`}
        {count === 0 && ' (not counted)'}
      </span>
      <DeleteButton
        label={count > 0 ? `Delete cluster ${cluster.name} and its ${count} boxes` : `Delete cluster ${cluster.name}`}
        disabled={props.disabled}
        onClick={() => props.onRemoveCluster(index)}
      />
      {(problem ?? error) !== undefined && <span className="ws-field-error">{problem ?? error}</span>}
    </li>
  );
}

/** Attribute questions: the clusters, and the boxes of each. */
export function AttributeClues(props: CluePanelProps) {
  const { doc, selectedCluster } = props;
  const counts = clusterBoxCounts(doc);
  const boxes = indexedClues(doc, isBox).filter(({ clue }) => clue.kind === 'attribute');
  return (
    <>
      <div className="ws-clue-actions">
        <button type="button" {...KEEP_FOCUS} disabled={props.disabled} onClick={props.onAddCluster}>
          Add a cluster
        </button>
      </div>
      {doc.clusters.length === 0 ? (
        <p className="ws-empty">No clusters yet: add one per value of the attribute, then draw its boxes.</p>
      ) : (
        <ul className="ws-clusters">
          {doc.clusters.map((cluster, index) => (
            // The name is in the key: a rename (or an undo of one) remounts the row with the name to edit.
            <ClusterRow
              key={`${index}:${cluster.name}`}
              cluster={cluster}
              index={index}
              count={counts.get(cluster.name) ?? 0}
              selected={cluster.name === selectedCluster}
              props={props}
            />
          ))}
        </ul>
      )}
      {props.clusterLabels !== undefined && props.clusterLabels.length > 0 && (
        <datalist id={CLUSTER_LABELS_ID} data-testid="cluster-labels">
          {props.clusterLabels.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      )}
      {doc.clusters.map((cluster) => {
        const own = boxes.filter(({ clue }) => clue.cluster === cluster.name);
        if (own.length === 0) return null;
        const numbers = new Map(own.map(({ index }, n) => [index, n + 1]));
        return (
          <div key={cluster.name} className="ws-cluster-boxes">
            <h4>
              <span className="ws-swatch" style={{ background: cluster.color }} aria-hidden="true" /> {cluster.name}
            </h4>
            <BoxList boxes={own} props={props} label={(index) => `${cluster.name} box ${numbers.get(index) ?? '?'}`} />
          </div>
        );
      })}
    </>
  );
}
