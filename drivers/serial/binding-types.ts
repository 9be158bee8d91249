/**
 * @serialport/bindings-interface ships CommonJS typings that its "exports" map hides from NodeNext
 * ESM resolution; importing them in require mode is the one place that knows about it.
 */
export type {
  BindingInterface,
  BindingPortInterface,
  BindingsErrorInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  UpdateOptions,
} from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
