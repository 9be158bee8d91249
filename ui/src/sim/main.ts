import '../csp.js';
import './sim.css';
import { YktSimPanel } from './sim-panel.js';

customElements.define('ykt-sim-panel', YktSimPanel);
