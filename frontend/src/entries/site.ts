// Every page: the design system (Pico CSS, the Cluebench tokens and components, Lucide icons) and the little
// behaviour the server-rendered pages share: toasts, the user menu, sortable tables, choose-all boxes.
import '../site/site.css';
import { setUpMenus } from '../site/menu';
import { setUpSelectAll } from '../site/selectAll';
import { setUpSortableTables } from '../site/sortable';
import { setUpToasts } from '../site/toasts';

setUpToasts();
setUpMenus();
setUpSortableTables();
setUpSelectAll();
