// Element Plus for the console only: loaded by the router before the first console page, so the
// public portal never downloads it.
import type { App } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import '@/styles/console.css';
import {
  ArrowDown,
  Download,
  ArrowLeft,
  Tickets,
  Collection,
  DataLine,
  ChatLineSquare,
  Phone,
  Bell,
  ChatDotRound,
  Document,
  Expand,
  Fold,
  Key,
  Monitor,
  Odometer,
  OfficeBuilding,
  Plus,
  Refresh,
  Search,
  Upload,
  User,
} from '@element-plus/icons-vue';

const icons = {
  ArrowDown,
  Download,
  ArrowLeft,
  Tickets,
  Collection,
  DataLine,
  ChatLineSquare,
  Phone,
  Bell,
  ChatDotRound,
  Document,
  Expand,
  Fold,
  Key,
  Monitor,
  Odometer,
  OfficeBuilding,
  Plus,
  Refresh,
  Search,
  Upload,
  User,
};

export function installElementPlus(app: App): void {
  app.use(ElementPlus);
  for (const [name, component] of Object.entries(icons)) app.component(name, component);
}
