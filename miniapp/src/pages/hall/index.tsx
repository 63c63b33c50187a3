import { ComingSoon } from '../../components/ComingSoon';

export default function HallPage() {
  return <ComingSoon title="办事大厅" lead="网上办事正在接入：社保、医保、养老、证明开具等事项，很快可以在这里查看要带的材料、网上申请或预约。" />;
}
