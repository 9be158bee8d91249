import './csp.js';
import './styles.css';
import { YktKiosk } from './kiosk-app.js';
import { YktClock, YktCountdown } from './ticker.js';

customElements.define('ykt-clock', YktClock);
customElements.define('ykt-countdown', YktCountdown);
customElements.define('ykt-kiosk', YktKiosk);
