/**
 * libsinsp's usergroup_manager: the users and groups of the host ('') and of each container,
 * as the capture's user/group lists and its user/group events give them.
 */
import type { GroupInfo, UserInfo } from './model.js';

export class UserGroupTables {
  private readonly users = new Map<string, Map<number, UserInfo>>();
  private readonly groups = new Map<string, Map<number, GroupInfo>>();

  user(uid: number, containerId = ''): UserInfo | undefined {
    return this.users.get(containerId)?.get(uid);
  }

  group(gid: number, containerId = ''): GroupInfo | undefined {
    return this.groups.get(containerId)?.get(gid);
  }

  putUser(containerId: string, u: UserInfo): void {
    let m = this.users.get(containerId);
    if (m === undefined) this.users.set(containerId, (m = new Map()));
    m.set(u.uid, u);
  }

  putGroup(containerId: string, g: GroupInfo): void {
    let m = this.groups.get(containerId);
    if (m === undefined) this.groups.set(containerId, (m = new Map()));
    m.set(g.gid, g);
  }

  removeUser(containerId: string, uid: number): void {
    this.users.get(containerId)?.delete(uid);
  }

  removeGroup(containerId: string, gid: number): void {
    this.groups.get(containerId)?.delete(gid);
  }

  /**
   * add_user/add_group for a thread's ids: a known id stays; root is added as root. libsinsp
   * would ask the replaying machine's passwd for other unknown ids (getpwuid): kestrel does
   * not, the result would depend on where it runs. A container's passwd is read from /proc
   * by libsinsp, which a capture does not have.
   */
  addForThread(uid: number, gid: number, containerId: string): void {
    if (containerId !== '') return;
    if (uid === 0 && this.user(0) === undefined) this.putUser('', { uid: 0, gid, name: 'root', homedir: '/root', shell: '' });
    if (gid === 0 && this.group(0) === undefined) this.putGroup('', { gid: 0, name: 'root' });
  }
}
